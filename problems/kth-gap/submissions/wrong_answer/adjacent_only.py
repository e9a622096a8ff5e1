# Bug: only considers gaps between neighbours in sorted order.
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
a = sorted(map(int, data[2:2 + n]))
gaps = sorted(a[i + 1] - a[i] for i in range(n - 1))
print(gaps[min(k, n - 1) - 1])
