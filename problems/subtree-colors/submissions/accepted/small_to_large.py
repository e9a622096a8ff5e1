import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    color = [None] + data[1:1 + n]  # tokens compare equal iff the numbers are equal
    par = [0, 0] + [int(x) for x in data[1 + n:n + n]]
    children_left = [0] * (n + 1)
    for v in range(2, n + 1):
        children_left[par[v]] += 1
    sets = [None] * (n + 1)
    ans = [0] * (n + 1)
    # Process leaves first (Kahn order on the reversed tree), merging each set into its parent.
    queue = [v for v in range(1, n + 1) if children_left[v] == 0]
    for v in queue:
        s = sets[v]
        if s is None:
            s = {color[v]}
        else:
            s.add(color[v])
        ans[v] = len(s)
        p = par[v]
        if p:
            t = sets[p]
            if t is None:
                sets[p] = s
            else:
                if len(t) < len(s):
                    t, s = s, t
                t |= s
                sets[p] = t
            sets[v] = None
            children_left[p] -= 1
            if children_left[p] == 0:
                queue.append(p)
    print(" ".join(map(str, ans[1:])))


main()
