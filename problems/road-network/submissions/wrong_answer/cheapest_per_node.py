# Bug: buys the cheapest cable at every building, which can create loops and miss connections.
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
best = {}
for i in range(m):
    u, v, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
    for x in (u, v):
        if x not in best or w < best[x][0]:
            best[x] = (w, min(u, v), max(u, v))
if n > 1 and len(best) < n:
    print("IMPOSSIBLE")
else:
    print(sum(w for w, _, _ in set(best.values())))
