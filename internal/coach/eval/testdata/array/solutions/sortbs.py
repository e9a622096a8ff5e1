import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
a.sort()
hits = 0
for x in a:
    lo, hi = 0, n
    target = x + 1000
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    hits += lo
print(hits)
