import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    size = 1
    h = 0
    while size < n:
        size *= 2
        h += 1
    NEG = -(1 << 62)
    # t[p] = max over p's leaves including the adds stored at p and below; d[p] = add pending at p.
    t = [NEG] * (2 * size)
    d = [0] * size
    t[size:size + n] = [int(x) for x in data[2:2 + n]]
    for p in range(size - 1, 0, -1):
        t[p] = t[2 * p] if t[2 * p] > t[2 * p + 1] else t[2 * p + 1]

    def rebuild(p):
        while p > 1:
            p >>= 1
            a, b = t[2 * p], t[2 * p + 1]
            t[p] = (a if a > b else b) + d[p]

    def push(p):
        for s in range(h, 0, -1):
            i = p >> s
            v = d[i]
            if v:
                c = 2 * i
                t[c] += v
                t[c + 1] += v
                if c < size:
                    d[c] += v
                    d[c + 1] += v
                d[i] = 0

    out = []
    pos = 2 + n
    for _ in range(q):
        if data[pos] == b"+":
            l, r, v = int(data[pos + 1]) - 1 + size, int(data[pos + 2]) + size, int(data[pos + 3])
            pos += 4
            l0, r0 = l, r - 1
            while l < r:
                if l & 1:
                    t[l] += v
                    if l < size:
                        d[l] += v
                    l += 1
                if r & 1:
                    r -= 1
                    t[r] += v
                    if r < size:
                        d[r] += v
                l >>= 1
                r >>= 1
            rebuild(l0)
            rebuild(r0)
        else:
            l, r = int(data[pos + 1]) - 1 + size, int(data[pos + 2]) + size
            pos += 3
            push(l)
            push(r - 1)
            res = NEG
            while l < r:
                if l & 1:
                    if t[l] > res:
                        res = t[l]
                    l += 1
                if r & 1:
                    r -= 1
                    if t[r] > res:
                        res = t[r]
                l >>= 1
                r >>= 1
            out.append(res)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
