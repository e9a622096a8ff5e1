import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    count = 0
    for i in range(n):
        if (i == 0 or a[i] > a[i - 1]) and (i == n - 1 or a[i] > a[i + 1]):
            count += 1
    print(count)


main()
