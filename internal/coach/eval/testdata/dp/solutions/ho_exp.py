import sys


def main():
    data = sys.stdin.read().split()
    n, k = int(data[0]), int(data[1])
    jumps = [int(x) for x in data[2:2 + k]]

    def ways(i):
        if i == 0:
            return 1
        return sum(ways(i - d) for d in jumps if d <= i) % 1000000007

    print(ways(n))


main()
