import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = sorted(map(int, data[1:n + 1]))
print(sum(i * x for i, x in enumerate(a)) % (10**9 + 7))
