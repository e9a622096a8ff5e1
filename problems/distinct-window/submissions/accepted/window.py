import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    g = data[2:2 + n]  # compare the raw tokens: equal numbers have equal spellings
    cnt = {}
    distinct = 0
    left = 0
    total = 0
    for right in range(n):
        x = g[right]
        c = cnt.get(x, 0)
        if c == 0:
            distinct += 1
        cnt[x] = c + 1
        while distinct > k:
            y = g[left]
            cnt[y] -= 1
            if cnt[y] == 0:
                distinct -= 1
            left += 1
        total += right - left + 1
    print(total)


main()
