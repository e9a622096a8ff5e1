import math


def run():
    input()
    print(math.gcd(*map(int, input().split())))
