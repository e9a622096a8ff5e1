import sys


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    grid = b"".join(data[2:2 + h])
    dry = bytearray(1 if c == 35 else 0 for c in grid)  # 35 == '#'
    islands = largest = 0
    for start in range(h * w):
        if not dry[start]:
            continue
        islands += 1
        dry[start] = 0
        stack = [start]
        size = 0
        while stack:
            v = stack.pop()
            size += 1
            r, c = divmod(v, w)
            if c > 0 and dry[v - 1]:
                dry[v - 1] = 0
                stack.append(v - 1)
            if c + 1 < w and dry[v + 1]:
                dry[v + 1] = 0
                stack.append(v + 1)
            if r > 0 and dry[v - w]:
                dry[v - w] = 0
                stack.append(v - w)
            if r + 1 < h and dry[v + w]:
                dry[v + w] = 0
                stack.append(v + w)
        largest = max(largest, size)
    print(islands, largest)


main()
