# Kruskal with a component label per building, relabelled by scanning all buildings on each
# merge: O(n^2).
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
edges = sorted((int(data[4 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])) for i in range(m))
comp = list(range(n + 1))
total = joined = 0
for w, u, v in edges:
    a, b = comp[u], comp[v]
    if a != b:
        for x in range(1, n + 1):
            if comp[x] == a:
                comp[x] = b
        total += w
        joined += 1
print(total if joined == n - 1 else "IMPOSSIBLE")
