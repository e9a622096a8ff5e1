# Compares every pair: O(n^2).
data = open(0).read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))
inv = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if ai > a[j]:
            inv += 1
print(inv)
