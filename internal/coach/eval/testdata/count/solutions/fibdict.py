import sys

M = 10**9 + 7
memo = {}

def ways(k):
    if k <= 1:
        return 1
    if k in memo:
        return memo[k]
    r = (ways(k - 1) + ways(k - 2)) % M
    memo[k] = r
    return r

n = int(sys.stdin.readline())
for i in range(n + 1):
    ways(i)
print(ways(n))
