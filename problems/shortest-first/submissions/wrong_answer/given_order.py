# Bug: runs the jobs in the given order instead of shortest first.
data = open(0).read().split()
n = int(data[0])
clock = total = 0
for x in map(int, data[1:1 + n]):
    clock += x
    total += clock
print(total)
