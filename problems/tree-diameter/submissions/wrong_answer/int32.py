# Bug: emulates 32-bit signed arithmetic (as a C int would) for the distances.
import sys


def wrap(x):
    return (x + 2**31) % 2**32 - 2**31


data = sys.stdin.buffer.read().split()
n = int(data[0])
adj = [[] for _ in range(n + 1)]
for i in range(n - 1):
    u, v, w = int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])
    adj[u].append((v, w))
    adj[v].append((u, w))


def farthest(src):
    dist = [None] * (n + 1)
    dist[src] = 0
    stack = [src]
    while stack:
        v = stack.pop()
        for u, w in adj[v]:
            if dist[u] is None:
                dist[u] = wrap(dist[v] + w)
                stack.append(u)
    best = max(range(1, n + 1), key=dist.__getitem__)
    return best, dist[best]


a, _ = farthest(1)
print(farthest(a)[1])
