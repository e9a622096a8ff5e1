# Bug: counts walks from t to s (uses the transposed map).
import sys

MOD = 10**9 + 7
data = sys.stdin.read().split()
n, k, s, t = map(int, data[:4])
m = [[int(c) for c in data[4 + i]] for i in range(n)]


def mul(a, b):
    bt = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) % MOD for col in bt] for row in a]


vec = [[1 if j == t - 1 else 0 for j in range(n)]]
while k:
    if k & 1:
        vec = mul(vec, m)
    k >>= 1
    m = mul(m, m)
print(vec[0][s - 1])
