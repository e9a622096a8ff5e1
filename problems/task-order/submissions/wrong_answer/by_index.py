# Bug: assumes dependencies always go from a lower to a higher task number.
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
edges = [(int(data[2 + 2 * j]), int(data[3 + 2 * j])) for j in range(m)]
if any(a > b for a, b in edges) and all(a > b for a, b in edges):
    print("IMPOSSIBLE")
else:
    print(" ".join(map(str, range(1, n + 1))))
