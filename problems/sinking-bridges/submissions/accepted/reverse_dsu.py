import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, q = int(data[0]), int(data[1]), int(data[2])
    eu = data[3:3 + 2 * m:2]
    ev = data[4:4 + 2 * m:2]
    events = [int(x) - 1 for x in data[3 + 2 * m:3 + 2 * m + q]]
    falls = bytearray(m)
    for b in events:
        falls[b] = 1
    parent = list(range(n + 1))

    def find(x):
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    groups = n

    def join(i):
        nonlocal groups
        a, b = find(int(eu[i])), find(int(ev[i]))
        if a != b:
            parent[a] = b
            groups -= 1

    # Start from the state after the storm and add bridges back in reverse order.
    for i in range(m):
        if not falls[i]:
            join(i)
    answers = [0] * q
    for j in range(q - 1, -1, -1):
        answers[j] = groups
        join(events[j])
    sys.stdout.write("\n".join(map(str, answers)) + "\n")


main()
