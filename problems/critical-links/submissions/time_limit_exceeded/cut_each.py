# Removes each link in turn and checks whether its ends stay connected: O(m * (n + m)).
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
e = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
adj = [[] for _ in range(n + 1)]
for i, (u, v) in enumerate(e):
    adj[u].append((v, i))
    adj[v].append((u, i))
res = []
for i, (u, v) in enumerate(e):
    seen = bytearray(n + 1)
    seen[u] = 1
    stack = [u]
    while stack:
        x = stack.pop()
        for y, j in adj[x]:
            if j != i and not seen[y]:
                seen[y] = 1
                stack.append(y)
    if not seen[v]:
        res.append(i + 1)
print(len(res))
print(" ".join(map(str, res)))
