import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    jumps = [int(x) for x in data[2:2 + k]]
    ways = [0] * (n + 1)
    ways[0] = 1
    for i in range(1, n + 1):
        total = 0
        for d in jumps:
            if d <= i:
                total += ways[i - d]
        ways[i] = total % 1000000007
    print(ways[n])


main()
