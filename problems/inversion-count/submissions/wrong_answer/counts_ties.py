# Bug: merges with a strict comparison, so equal ratings are counted as inversions.
import sys

sys.setrecursionlimit(10000)
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))


def go(v):
    if len(v) < 2:
        return v, 0
    l, x = go(v[: len(v) // 2])
    r, y = go(v[len(v) // 2:])
    out, i, j, inv = [], 0, 0, x + y
    while i < len(l) or j < len(r):
        if j == len(r) or (i < len(l) and l[i] < r[j]):
            out.append(l[i])
            i += 1
        else:
            inv += len(l) - i
            out.append(r[j])
            j += 1
    return out, inv


print(go(a)[1])
