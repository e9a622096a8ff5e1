# Classic O(n^2) dynamic programming over all earlier waypoints.
data = open(0).read().split()
n = int(data[0])
h = list(map(int, data[1:1 + n]))
best = [1] * n
for i in range(n):
    hi = h[i]
    b = 1
    for j in range(i):
        if h[j] < hi and best[j] + 1 > b:
            b = best[j] + 1
    best[i] = b
print(max(best))
