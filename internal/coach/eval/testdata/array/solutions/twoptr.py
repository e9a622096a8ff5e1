import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = sorted(int(x) for x in data[1:n + 1])
target = 10**9
count = 0
i, j = 0, n - 1
while i < j:
    if a[i] + a[j] <= target:
        count += j - i
        i += 1
    else:
        j -= 1
print(count)
