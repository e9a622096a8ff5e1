from fractions import Fraction

n = int(input())
points = [tuple(map(int, input().split())) for _ in range(n)]
r = Fraction(input())
print(sum(1 for x, y in points if x * x + y * y <= r * r))
