# Updates every machine of the range one by one: O(n) per operation.
import sys

data = sys.stdin.buffer.read().split()
n, q = int(data[0]), int(data[1])
a = [int(x) for x in data[2:2 + n]]
pos = 2 + n
out = []
for _ in range(q):
    if data[pos] == b"+":
        l, r, v = int(data[pos + 1]), int(data[pos + 2]), int(data[pos + 3])
        pos += 4
        for i in range(l - 1, r):
            a[i] += v
    else:
        l, r = int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        best = a[l - 1]
        for i in range(l, r):
            if a[i] > best:
                best = a[i]
        out.append(best)
print("\n".join(map(str, out)))
