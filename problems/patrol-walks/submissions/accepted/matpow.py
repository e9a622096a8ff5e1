import sys

MOD = 10**9 + 7


def mul(a, b):
    bt = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) % MOD for col in bt] for row in a]


def main():
    data = sys.stdin.read().split()
    n, k, s, t = map(int, data[:4])
    m = [[int(c) for c in data[4 + i]] for i in range(n)]
    vec = [[1 if j == s - 1 else 0 for j in range(n)]]  # row vector: walks from s
    while k:
        if k & 1:
            vec = mul(vec, m)
        k >>= 1
        if k:
            m = mul(m, m)
    print(vec[0][t - 1])


main()
