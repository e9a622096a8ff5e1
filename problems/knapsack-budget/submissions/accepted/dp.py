import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, b = int(data[0]), int(data[1])
    dp = [0] * (b + 1)  # dp[x] = best happiness with cost <= x
    for i in range(n):
        c, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        if c > b:
            continue
        # Taking the item at capacity x uses the previous row at x - c (whole-list step).
        shifted = dp[: b + 1 - c]
        tail = [a if a > s + v else s + v for a, s in zip(dp[c:], shifted)]
        dp[c:] = tail
    print(dp[b])


main()
