# Unbounded recursion: Python's own limit stops it (RecursionError, RE).
def down(n):
    return down(n + 1) + 1


print(down(0))
