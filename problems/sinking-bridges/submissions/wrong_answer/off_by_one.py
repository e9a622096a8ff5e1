# Bug: prints the group count before each collapse instead of after it.
import sys

data = sys.stdin.buffer.read().split()
n, m, q = int(data[0]), int(data[1]), int(data[2])
eu = [int(x) for x in data[3:3 + 2 * m:2]]
ev = [int(x) for x in data[4:4 + 2 * m:2]]
events = [int(x) - 1 for x in data[3 + 2 * m:3 + 2 * m + q]]
falls = set(events)
parent = list(range(n + 1))


def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


groups = n
for i in range(m):
    if i not in falls:
        a, b = find(eu[i]), find(ev[i])
        if a != b:
            parent[a] = b
            groups -= 1
ans = []
for b in reversed(events):
    x, y = find(eu[b]), find(ev[b])
    if x != y:
        parent[x] = y
        groups -= 1
    ans.append(groups)
print("\n".join(map(str, reversed(ans))))
