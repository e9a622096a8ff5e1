import sys
n = int(sys.stdin.readline())
print(sum((i * j) % 7 for i in range(n) for j in range(n)))
