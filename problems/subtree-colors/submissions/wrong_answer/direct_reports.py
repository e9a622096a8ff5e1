# Bug: only looks at each employee and their direct reports, not the whole subtree.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
c = [None] + data[1:1 + n]
sets = [{c[v]} for v in range(n + 1)]
for v in range(2, n + 1):
    sets[int(data[n + v - 1])].add(c[v])
print(" ".join(str(len(sets[v])) for v in range(1, n + 1)))
