import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
limit = 5 * 10**9
best = 0
window = 0
j = 0
for i in range(n):
    while j < n and window + a[j] <= limit:
        window += a[j]
        j += 1
    best = max(best, j - i)
    if j > i:
        window -= a[i]
    else:
        j = i + 1
print(best)
