# Picks the shortest remaining job by scanning every time: O(n^2).
data = open(0).read().split()
n = int(data[0])
t = list(map(int, data[1:1 + n]))
done = [False] * n
clock = total = 0
for _ in range(n):
    best = -1
    for i in range(n):
        if not done[i] and (best < 0 or t[i] < t[best]):
            best = i
    done[best] = True
    clock += t[best]
    total += clock
print(total)
