import sys
from collections import deque


def main():
    data = sys.stdin.read().split()
    h, w = int(data[0]), int(data[1])
    grid = data[2:2 + h]
    seen = [[False] * w for _ in range(h)]
    islands = 0
    for i in range(h):
        for j in range(w):
            if grid[i][j] != '#' or seen[i][j]:
                continue
            islands += 1
            seen[i][j] = True
            q = deque([(i, j)])
            while q:
                r, c = q.popleft()
                for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= a < h and 0 <= b < w and grid[a][b] == '#' and not seen[a][b]:
                        seen[a][b] = True
                        q.append((a, b))
    print(islands)


main()
