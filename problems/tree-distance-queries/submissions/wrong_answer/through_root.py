# Bug: always routes through the origin server, i.e. forgets to subtract the common part.
import sys

data = sys.stdin.buffer.read().split()
n, q = int(data[0]), int(data[1])
par = [0, 0] + [int(x) for x in data[2:n + 1]]
wt = [0, 0] + [int(x) for x in data[n + 1:2 * n]]
dist = [None] * (n + 1)
dist[1] = 0
for s in range(2, n + 1):
    path = []
    v = s
    while dist[v] is None:
        path.append(v)
        v = par[v]
    for x in reversed(path):
        dist[x] = dist[par[x]] + wt[x]
out = []
for i in range(q):
    u, v = int(data[2 * n + 2 * i]), int(data[2 * n + 1 + 2 * i])
    out.append(0 if u == v else dist[u] + dist[v])
print("\n".join(map(str, out)))
