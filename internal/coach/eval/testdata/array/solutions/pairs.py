import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = [int(x) % 7 for x in data[1:n + 1]]
count = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if (ai + a[j]) % 7 == 0:
            count += 1
print(count)
