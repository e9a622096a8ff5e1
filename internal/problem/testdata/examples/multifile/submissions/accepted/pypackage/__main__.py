import solve

solve.run()
