import sys
import threading
from functools import lru_cache


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    jumps = [int(x) for x in data[2:2 + k]]

    @lru_cache(maxsize=None)
    def ways(i):
        if i == 0:
            return 1
        total = 0
        for d in jumps:
            if d <= i:
                total += ways(i - d)
        return total % 1000000007

    for i in range(0, n + 1, 500):  # fill from the bottom: the recursion stays shallow
        ways(i)
    print(ways(n))


sys.setrecursionlimit(1 << 20)
threading.stack_size(512 << 20)
t = threading.Thread(target=main)
t.start()
t.join()
