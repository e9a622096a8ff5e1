# Binary search on the gap, but counts the pairs within a gap by checking every pair: O(n^2 log V).
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))


def within(d):
    c = 0
    for i in range(n):
        ai = a[i]
        for j in range(i + 1, n):
            if abs(ai - a[j]) <= d:
                c += 1
    return c


lo, hi = 0, max(a) - min(a)
while lo < hi:
    mid = (lo + hi) // 2
    if within(mid) >= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
