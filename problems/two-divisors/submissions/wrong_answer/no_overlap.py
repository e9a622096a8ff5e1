# Bug: forgets to subtract the numbers divisible by both a and b.
import sys

data = sys.stdin.buffer.read().split()
t = int(data[0])
out = []
for i in range(t):
    l, r, a, b = map(int, data[1 + 4 * i:5 + 4 * i])
    out.append(r // a - (l - 1) // a + r // b - (l - 1) // b)
print("\n".join(map(str, out)))
