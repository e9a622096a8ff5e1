import sys
n = int(sys.stdin.readline())
steps = 0
while n > 0:
    n //= 2
    steps += 1
print(steps)
