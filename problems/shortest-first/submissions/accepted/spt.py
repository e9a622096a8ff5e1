import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
t = sorted(map(int, data[1:1 + n]))
total = 0
clock = 0
for x in t:
    clock += x
    total += clock
print(total)
