import sys
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    if i >= 50:
        break
    for j in range(n):
        s += (i * j) & 3
print(s)
