# Bug: lets every coin value be used at most once (0/1 knapsack order).
import sys

MOD = 10**9 + 7
data = sys.stdin.buffer.read().split()
n, x = int(data[0]), int(data[1])
ways = [0] * (x + 1)
ways[0] = 1
for c in map(int, data[2:2 + n]):
    for s in range(x, c - 1, -1):
        ways[s] = (ways[s] + ways[s - c]) % MOD
print(ways[x])
