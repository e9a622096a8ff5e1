import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
seen = set()
for tok in data[1:n + 1]:
    x = int(tok) % 1000003
    if x not in seen:
        seen.add(x)
print(len(seen))
