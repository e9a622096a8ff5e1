import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n, x = int(data[0]), int(data[1])
    ways = [0] * (x + 1)
    ways[0] = 1
    # Coins in the outer loop: each multiset is counted once, in a fixed coin order.
    for c in map(int, data[2:2 + n]):
        for s in range(c, x + 1):
            ways[s] = (ways[s] + ways[s - c]) % MOD
    print(ways[x])


main()
