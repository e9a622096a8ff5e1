import sys
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    for j in range(n):
        for k in range(n):
            s += (i + j + k) & 1
print(s)
