import sys
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    j = n
    while j > 0:
        j //= 2
        s += 1
print(s)
