import sys
n = int(sys.stdin.readline())
total = 0
while n:
    total += n % 10
    n //= 10
print(total)
