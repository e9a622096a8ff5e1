import sys
from math import hypot


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    pts = sorted(set(zip(map(int, data[1:1 + 2 * n:2]), map(int, data[2:2 + 2 * n:2]))))
    if len(pts) == 1:
        print("0.0")
        return

    def chain(points):
        h = []
        for x, y in points:
            while len(h) >= 2:
                (ax, ay), (bx, by) = h[-2], h[-1]
                if (bx - ax) * (y - ay) - (by - ay) * (x - ax) <= 0:
                    h.pop()
                else:
                    break
            h.append((x, y))
        return h

    hull = chain(pts)[:-1] + chain(pts[::-1])[:-1]
    per = 0.0
    for i in range(len(hull)):
        (ax, ay), (bx, by) = hull[i - 1], hull[i]
        per += hypot(bx - ax, by - ay)
    print(f"{per:.6f}")


main()
