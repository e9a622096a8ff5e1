import sys


def main():
    data = sys.stdin.read().split()
    h, w = int(data[0]), int(data[1])
    grid = data[2:2 + h]
    seen = []  # a plain list: every membership test scans it
    islands = 0
    for i in range(h):
        for j in range(w):
            if grid[i][j] != '#' or (i, j) in seen:
                continue
            islands += 1
            seen.append((i, j))
            stack = [(i, j)]
            while stack:
                r, c = stack.pop()
                for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= a < h and 0 <= b < w and grid[a][b] == '#' and (a, b) not in seen:
                        seen.append((a, b))
                        stack.append((a, b))
    print(islands)


main()
