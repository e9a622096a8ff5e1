import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    adj = [[] for _ in range(n + 1)]
    for i in range(n - 1):
        u, v = int(data[1 + 2 * i]), int(data[2 + 2 * i])
        adj[u].append(v)
        adj[v].append(u)

    def farthest(src):
        dist = [-1] * (n + 1)
        dist[src] = 0
        stack = [src]
        while stack:
            v = stack.pop()
            for u in adj[v]:
                if dist[u] < 0:
                    dist[u] = dist[v] + 1
                    stack.append(u)
        best = max(range(1, n + 1), key=dist.__getitem__)
        return best, dist[best]

    a, _ = farthest(1)
    print(farthest(a)[1])


main()
