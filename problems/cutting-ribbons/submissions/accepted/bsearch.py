import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    a = list(map(int, data[2:2 + n]))
    lo, hi = 0, max(a)  # invariant: lo is feasible (0 means "none"), hi + 1 is not
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(x // mid for x in a) >= k:
            lo = mid
        else:
            hi = mid - 1
    print(lo)


main()
