import sys
M = 10**9 + 7
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    s = (s + i * i) % M
print(s)
