import heapq
import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
h = []
for tok in data[1:n + 1]:
    heapq.heappush(h, int(tok))
s = 0
while h:
    s = (s * 31 + heapq.heappop(h)) % 1000000007
print(s)
