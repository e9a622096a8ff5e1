import sys
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    for j in range(i):
        s += (i ^ j) & 7
print(s)
