import sys
from heapq import heappop, heappush


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    a = data[2:2 + n]
    N = n
    # Unique keys value * N + index give a strict total order even with equal values.
    keys = [int(a[i]) * N + i for i in range(n)]
    lo, hi = [], []  # lo: max-heap (negated) of the smaller half, hi: min-heap of the rest
    lo_size = hi_size = 0
    out = []

    def prune(start):
        while lo and (-lo[0]) % N < start:
            heappop(lo)
        while hi and hi[0] % N < start:
            heappop(hi)

    for i in range(n):
        if i >= k:
            j = i - k
            prune(j)
            if lo and keys[j] <= -lo[0]:
                lo_size -= 1
            else:
                hi_size -= 1
        start = i - k + 1 if i >= k else 0
        prune(start)
        key = keys[i]
        if lo and key < -lo[0]:
            heappush(lo, -key)
            lo_size += 1
        else:
            heappush(hi, key)
            hi_size += 1
        target = (min(i + 1, k) + 1) // 2
        while lo_size > target:
            prune(start)
            heappush(hi, -heappop(lo))
            lo_size -= 1
            hi_size += 1
        while lo_size < target:
            prune(start)
            heappush(lo, -heappop(hi))
            lo_size += 1
            hi_size -= 1
        if i >= k - 1:
            prune(start)
            out.append((-lo[0]) // N)
    print(" ".join(map(str, out)))


main()
