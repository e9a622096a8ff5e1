# Bug: stores loads as 32-bit integers (as a C int would), which wrap around on large loads.
import sys


def wrap(x):
    return (x + 2**31) % 2**32 - 2**31


data = sys.stdin.buffer.read().split()
n, q = int(data[0]), int(data[1])
a = [wrap(int(x)) for x in data[2:2 + n]]
pos = 2 + n
out = []
for _ in range(q):
    if data[pos] == b"+":
        l, r, v = int(data[pos + 1]), int(data[pos + 2]), int(data[pos + 3])
        pos += 4
        a[l - 1:r] = [wrap(x + v) for x in a[l - 1:r]]
    else:
        l, r = int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        out.append(max(a[l - 1:r]))
print("\n".join(map(str, out)))
