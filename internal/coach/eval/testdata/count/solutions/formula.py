import sys
M = 10**9 + 7
n = int(sys.stdin.readline())
print((n % M) * ((n + 1) % M) % M * pow(2, M - 2, M) % M)
