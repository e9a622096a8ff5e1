import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    ws = data[4:2 + 3 * m:3]
    order = sorted(range(m), key=lambda i: int(ws[i]))
    parent = list(range(n + 1))
    total = 0
    joined = 0
    for i in order:
        u, v = int(data[2 + 3 * i]), int(data[3 + 3 * i])
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        if u != v:
            parent[u] = v
            total += int(ws[i])
            joined += 1
    print(total if joined == n - 1 else "IMPOSSIBLE")


main()
