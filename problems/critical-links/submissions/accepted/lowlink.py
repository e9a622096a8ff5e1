import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        adj[u].append((v, i))
        adj[v].append((u, i))
    tin = [0] * (n + 1)
    low = [0] * (n + 1)
    timer = 1
    is_bridge = bytearray(m)  # by link id: the answer comes out sorted without a sort
    for root in range(1, n + 1):
        if tin[root]:
            continue
        tin[root] = low[root] = timer
        timer += 1
        # stack entries: (vertex, id of the link used to enter it, next adjacency index)
        stack = [[root, -1, 0]]
        while stack:
            top = stack[-1]
            v, pe, i = top
            if i < len(adj[v]):
                top[2] = i + 1
                u, e = adj[v][i]
                if e == pe:
                    continue  # skip only the link we came by, not parallel links
                if tin[u]:
                    if tin[u] < low[v]:
                        low[v] = tin[u]
                else:
                    tin[u] = low[u] = timer
                    timer += 1
                    stack.append([u, e, 0])
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    if low[v] < low[p]:
                        low[p] = low[v]
                    if low[v] > tin[p]:
                        is_bridge[pe] = 1
    bridges = [e + 1 for e in range(m) if is_bridge[e]]
    print(len(bridges))
    print(" ".join(map(str, bridges)))


main()
