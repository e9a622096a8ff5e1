# From every start, extends the playlist until it has too many genres: O(n^2) when k is large.
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
g = data[2:2 + n]
total = 0
for l in range(n):
    seen = set()
    for r in range(l, n):
        seen.add(g[r])
        if len(seen) > k:
            break
        total += 1
print(total)
