import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        adj[a].append(b)
        adj[b].append(a)
    seen = [False] * (n + 1)
    comps = 0
    for s in range(1, n + 1):
        if seen[s]:
            continue
        comps += 1
        seen[s] = True
        queue = [s]
        while queue:
            v = queue.pop(0)  # shifts the whole list
            for u in adj[v]:
                if not seen[u]:
                    seen[u] = True
                    queue.append(u)
    print(comps)


main()
