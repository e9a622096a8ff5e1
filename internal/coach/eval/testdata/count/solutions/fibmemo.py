import sys
from functools import lru_cache

M = 10**9 + 7

@lru_cache(maxsize=None)
def fib(k):
    if k < 2:
        return k
    return (fib(k - 1) + fib(k - 2)) % M

n = int(sys.stdin.readline())
for i in range(n + 1):
    fib(i)  # fill the cache bottom-up so the recursion stays shallow
print(fib(n))
