import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
nxt = [-1] * n
stack = []
for i in range(n):
    while stack and a[stack[-1]] < a[i]:
        nxt[stack.pop()] = i
    stack.append(i)
print(sum(x for x in nxt if x >= 0) % (10**9 + 7))
