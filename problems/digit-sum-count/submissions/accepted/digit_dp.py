import sys

MAXS = 9 * 19


def main():
    # ways[m][s] = number of digit strings of length m with digit sum s
    ways = [[0] * (MAXS + 1) for _ in range(20)]
    ways[0][0] = 1
    for m in range(1, 20):
        prev, cur = ways[m - 1], ways[m]
        for s in range(MAXS + 1):
            if prev[s]:
                v = prev[s]
                for d in range(10):
                    cur[s + d] += v if s + d <= MAXS else 0
    data = sys.stdin.buffer.read().split()
    t = int(data[0])

    def count(n, k):
        """numbers x in [0, n] whose digit sum is divisible by k"""
        digits = list(map(int, str(n)))
        total = 0
        pre = 0
        m = len(digits)
        for i, dig in enumerate(digits):
            rest = m - i - 1
            row = ways[rest]
            for d in range(dig):
                # remaining digits must bring the sum to a multiple of k
                need = (-(pre + d)) % k
                total += sum(row[need::k])
            pre += dig
        if pre % k == 0:
            total += 1
        return total

    out = []
    for i in range(t):
        l, r, k = int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])
        out.append(count(r, k) - count(l - 1, k))
    print("\n".join(map(str, out)))


main()
