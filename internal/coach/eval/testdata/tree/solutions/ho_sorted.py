import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    # Both directions of every edge, sorted: each vertex's neighbours end up contiguous.
    pairs = []
    for i in range(n - 1):
        u, v = int(data[1 + 2 * i]), int(data[2 + 2 * i])
        pairs.append((u, v))
        pairs.append((v, u))
    pairs.sort()
    start = [0] * (n + 2)
    for u, _ in pairs:
        start[u + 1] += 1
    for v in range(1, n + 2):
        start[v] += start[v - 1]

    def farthest(src):
        dist = [-1] * (n + 1)
        dist[src] = 0
        stack = [src]
        while stack:
            v = stack.pop()
            for i in range(start[v], start[v + 1]):
                u = pairs[i][1]
                if dist[u] < 0:
                    dist[u] = dist[v] + 1
                    stack.append(u)
        best = max(range(1, n + 1), key=lambda v: dist[v])
        return best, dist[best]

    a, _ = farthest(1)
    print(farthest(a)[1])


main()
