import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    par = [0, 0] + [int(x) for x in data[2:n + 1]]
    wt = [0, 0] + [int(x) for x in data[n + 1:2 * n]]
    children = [[] for _ in range(n + 1)]
    for v in range(2, n + 1):
        children[par[v]].append(v)
    depth = [0] * (n + 1)  # number of edges from the root
    dist = [0] * (n + 1)   # latency from the root
    first = [0] * (n + 1)
    euler = []              # entries depth << 17 | node, so min() picks the shallowest node
    stack = [(1, 0)]
    while stack:
        v, i = stack.pop()
        if i == 0:
            first[v] = len(euler)
        euler.append(depth[v] << 17 | v)
        if i < len(children[v]):
            stack.append((v, i + 1))
            c = children[v][i]
            depth[c] = depth[v] + 1
            dist[c] = dist[v] + wt[c]
            stack.append((c, 0))
    table = [euler]
    k = 1
    while 2 * k <= len(euler):
        prev = table[-1]
        table.append([a if a < b else b for a, b in zip(prev, prev[k:])])
        k *= 2
    mask = (1 << 17) - 1
    out = []
    pos = 2 * n
    for _ in range(q):
        u, v = int(data[pos]), int(data[pos + 1])
        pos += 2
        l, r = first[u], first[v]
        if l > r:
            l, r = r, l
        j = (r - l + 1).bit_length() - 1
        row = table[j]
        a, b = row[l], row[r - (1 << j) + 1]
        lca = (a if a < b else b) & mask
        out.append(dist[u] + dist[v] - 2 * dist[lca])
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
