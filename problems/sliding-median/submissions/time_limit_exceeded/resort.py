# Sorts every window from scratch: O(n k log k).
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
out = []
for i in range(n - k + 1):
    w = sorted(a[i:i + k])
    out.append(w[(k + 1) // 2 - 1])
print(" ".join(map(str, out)))
