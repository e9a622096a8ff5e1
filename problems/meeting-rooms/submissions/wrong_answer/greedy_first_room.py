# Bug: sorts by end time and counts meetings that do not fit after the previous one (interval
# scheduling), which is a different problem.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
m = sorted((int(data[2 + 2 * i]), int(data[1 + 2 * i])) for i in range(n))
rooms, last = 1, m[0][0]
for e, s in m[1:]:
    if s >= last:
        last = e
    else:
        rooms += 1
print(rooms)
