n = int(input())
d = 2
while d * d <= n:
    if n % d == 0:
        print(n // d if n // d < n else d)
        break
    d += 1
else:
    print("prime")
