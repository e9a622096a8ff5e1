# Bug: plots the rounded-down mean of the window instead of its median.
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
s = sum(a[:k])
out = [s // k]
for i in range(k, n):
    s += a[i] - a[i - k]
    out.append(s // k)
print(" ".join(map(str, out)))
