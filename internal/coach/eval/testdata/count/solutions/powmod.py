import sys
M = 10**9 + 7
n = int(sys.stdin.readline())
base, e, r = 3, n, 1
while e > 0:
    if e & 1:
        r = r * base % M
    base = base * base % M
    e >>= 1
print(r)
