# Bug: greedy by happiness per credit, which is not optimal for indivisible upgrades.
import sys

data = sys.stdin.buffer.read().split()
n, b = int(data[0]), int(data[1])
items = sorted(((int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(n)), key=lambda t: -t[1] / t[0])
total = 0
for c, v in items:
    if c <= b:
        b -= c
        total += v
print(total)
