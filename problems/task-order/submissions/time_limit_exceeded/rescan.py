# Repeatedly scans all tasks for one whose dependencies are all done: O(n * (n + m)).
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
preds = [[] for _ in range(n + 1)]
for j in range(m):
    preds[int(data[3 + 2 * j])].append(int(data[2 + 2 * j]))
done = [False] * (n + 1)
order = []
progress = True
while progress and len(order) < n:
    progress = False
    for v in range(1, n + 1):
        if not done[v] and all(done[p] for p in preds[v]):
            done[v] = True
            order.append(v)
            progress = True
            break
print(" ".join(map(str, order)) if len(order) == n else "IMPOSSIBLE")
