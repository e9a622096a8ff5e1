import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
best = a[0]
total = 0
for x in a:
    total += x
    if x > best:
        best = x
print(total, best)
