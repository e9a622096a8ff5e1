import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    # Encode events so that sorting puts an end (0) before a start (1) at the same time.
    events = []
    for i in range(n):
        s, e = int(data[1 + 2 * i]), int(data[2 + 2 * i])
        events.append(s * 2 + 1)
        events.append(e * 2)
    events.sort()
    cur = best = 0
    for ev in events:
        if ev & 1:
            cur += 1
            if cur > best:
                best = cur
        else:
            cur -= 1
    print(best)


main()
