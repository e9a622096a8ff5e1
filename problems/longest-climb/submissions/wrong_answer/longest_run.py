# Bug: finds the longest run of consecutive increasing waypoints instead of a subsequence.
data = open(0).read().split()
n = int(data[0])
h = list(map(int, data[1:1 + n]))
best = cur = 1
for i in range(1, n):
    cur = cur + 1 if h[i] > h[i - 1] else 1
    best = max(best, cur)
print(best)
