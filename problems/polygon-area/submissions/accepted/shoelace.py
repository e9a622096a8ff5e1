import sys
from math import hypot


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = list(map(int, data[1:1 + 2 * n:2]))
    ys = list(map(int, data[2:2 + 2 * n:2]))
    area2 = 0
    per = 0.0
    for i in range(n):
        j = i + 1 if i + 1 < n else 0
        area2 += xs[i] * ys[j] - xs[j] * ys[i]
        per += hypot(xs[j] - xs[i], ys[j] - ys[i])
    print(f"{abs(area2) / 2:.1f} {per:.6f}")


main()
