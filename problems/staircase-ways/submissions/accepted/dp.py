import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n, k, m = int(data[0]), int(data[1]), int(data[2])
    jumps = sorted(int(x) for x in data[3:3 + k])
    ok = bytearray([1]) * (n + 1)
    for x in data[3 + k:3 + k + m]:
        ok[int(x)] = 0
    ways = [0] * (n + 1)
    ways[0] = 1
    for i in range(1, n + 1):
        if ok[i]:
            s = 0
            for d in jumps:
                if d > i:
                    break
                s += ways[i - d]
            ways[i] = s % MOD
    print(ways[n])


main()
