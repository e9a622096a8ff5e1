import sys
n = int(sys.stdin.readline())
divisors = 0
for i in range(1, n + 1):
    for j in range(i, n + 1, i):
        divisors += 1
print(divisors)
