import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
distinct = []
for tok in data[1:n + 1]:
    x = int(tok)
    if x not in distinct:
        distinct.append(x)
print(len(distinct))
