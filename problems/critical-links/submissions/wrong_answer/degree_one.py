# Bug: declares a link critical only if one of its ends has a single link (a leaf).
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
deg = [0] * (n + 1)
e = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
for u, v in e:
    deg[u] += 1
    deg[v] += 1
res = [i + 1 for i, (u, v) in enumerate(e) if deg[u] == 1 or deg[v] == 1]
print(len(res))
print(" ".join(map(str, res)))
