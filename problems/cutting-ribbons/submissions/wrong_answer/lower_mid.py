# Bug: the binary search stops one step early and can report L - 1.
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
lo, hi = 0, max(a)
while hi - lo > 1:
    mid = (lo + hi) // 2
    if sum(x // mid for x in a) >= k:
        lo = mid
    else:
        hi = mid
print(lo)
