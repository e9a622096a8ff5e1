# Gift wrapping: O(n * h), quadratic when every tree is on the hull.
import sys
from math import hypot

data = sys.stdin.buffer.read().split()
n = int(data[0])
pts = sorted(set(zip(map(int, data[1:1 + 2 * n:2]), map(int, data[2:2 + 2 * n:2]))))
if len(pts) == 1:
    print("0.0")
    sys.exit()
start = pts[0]
hull = [start]
cur = start
while True:
    cand = pts[0] if pts[0] != cur else pts[1]
    for p in pts:
        if p == cur:
            continue
        c = (cand[0] - cur[0]) * (p[1] - cur[1]) - (cand[1] - cur[1]) * (p[0] - cur[0])
        if c < 0 or (c == 0 and hypot(p[0] - cur[0], p[1] - cur[1]) > hypot(cand[0] - cur[0], cand[1] - cur[1])):
            cand = p
    cur = cand
    if cur == start:
        break
    hull.append(cur)
per = sum(hypot(hull[i][0] - hull[i - 1][0], hull[i][1] - hull[i - 1][1]) for i in range(len(hull)))
print(f"{per:.6f}")
