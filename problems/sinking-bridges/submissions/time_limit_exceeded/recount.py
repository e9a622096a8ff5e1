# Recounts the groups from scratch after every collapse: O(q * (n + m)).
import sys

data = sys.stdin.buffer.read().split()
n, m, q = int(data[0]), int(data[1]), int(data[2])
eu = [int(x) for x in data[3:3 + 2 * m:2]]
ev = [int(x) for x in data[4:4 + 2 * m:2]]
alive = [True] * m
out = []
for j in range(q):
    alive[int(data[3 + 2 * m + j]) - 1] = False
    parent = list(range(n + 1))
    groups = n
    for i in range(m):
        if alive[i]:
            a, b = eu[i], ev[i]
            while parent[a] != a:
                a = parent[a]
            while parent[b] != b:
                b = parent[b]
            if a != b:
                parent[a] = b
                groups -= 1
    out.append(groups)
print("\n".join(map(str, out)))
