# Bug: assumes digit sums are spread evenly, answering about (r - l + 1) / k.
import sys

data = sys.stdin.buffer.read().split()
t = int(data[0])
out = []
for i in range(t):
    l, r, k = int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])
    out.append((r - l + 1) // k)
print("\n".join(map(str, out)))
