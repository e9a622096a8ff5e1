import sys
from bisect import bisect_right
from itertools import repeat


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    a = sorted(map(int, data[2:2 + n]))
    base = n * (n + 1) // 2  # sum over i of (i + 1): the pairs (i, j) with j <= i

    def pairs_within(d):
        # number of pairs i < j with a[j] - a[i] <= d (bisect_right counts indices <= i too)
        return sum(map(bisect_right, repeat(a), [x + d for x in a])) - base

    lo, hi = 0, a[-1] - a[0]  # the answer is the smallest d with pairs_within(d) >= k
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs_within(mid) >= k:
            hi = mid
        else:
            lo = mid + 1
    print(lo)


main()
