# Bug: fences the bounding box of the trees instead of their convex hull.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
xs = list(map(int, data[1:1 + 2 * n:2]))
ys = list(map(int, data[2:2 + 2 * n:2]))
print(f"{2 * (max(xs) - min(xs)) + 2 * (max(ys) - min(ys)):.6f}")
