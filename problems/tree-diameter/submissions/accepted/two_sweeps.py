import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    adj = [[] for _ in range(n + 1)]
    for i in range(n - 1):
        u, v, w = int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])
        adj[u].append((v, w))
        adj[v].append((u, w))

    def farthest(src):
        dist = [-1] * (n + 1)
        dist[src] = 0
        stack = [src]
        while stack:
            v = stack.pop()
            d = dist[v]
            for u, w in adj[v]:
                if dist[u] < 0:
                    dist[u] = d + w
                    stack.append(u)
        best = max(range(1, n + 1), key=dist.__getitem__)
        return best, dist[best]

    a, _ = farthest(1)
    _, d = farthest(a)
    print(d)


main()
