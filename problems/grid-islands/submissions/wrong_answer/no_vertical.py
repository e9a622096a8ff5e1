# Bug: counts horizontal runs of dry cells instead of islands (forgets vertical moves).
import sys

data = sys.stdin.read().split()
h, w = int(data[0]), int(data[1])
islands = largest = 0
for row in data[2:2 + h]:
    for run in row.split("."):
        if run:
            islands += 1
            largest = max(largest, len(run))
print(islands, largest)
