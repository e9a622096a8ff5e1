import sys
from math import gcd


def count(x, d):
    # multiples of d in [1, x]
    return x // d


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        l, r, a, b = map(int, data[1 + 4 * i:5 + 4 * i])
        m = a // gcd(a, b) * b
        f = lambda x: x // a + x // b - x // m
        out.append(f(r) - f(l - 1))
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
