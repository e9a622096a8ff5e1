from mathutil import gcd_all

input()
print(gcd_all(map(int, input().split())))
