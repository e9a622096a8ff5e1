from meanlib import mean

input()
print("%.9f" % mean(list(map(int, input().split()))))
