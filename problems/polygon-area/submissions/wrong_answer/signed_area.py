# Bug: prints the signed area, which is negative for clockwise polygons.
import sys
from math import hypot

data = sys.stdin.buffer.read().split()
n = int(data[0])
p = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
a = sum(p[i][0] * p[(i + 1) % n][1] - p[(i + 1) % n][0] * p[i][1] for i in range(n)) / 2
per = sum(hypot(p[(i + 1) % n][0] - p[i][0], p[(i + 1) % n][1] - p[i][1]) for i in range(n))
print(f"{a:.1f} {per:.6f}")
