import bisect
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
tails = []
for tok in data[1:n + 1]:
    x = int(tok)
    k = bisect.bisect_left(tails, x)
    if k == len(tails):
        tails.append(x)
    else:
        tails[k] = x
print(len(tails))
