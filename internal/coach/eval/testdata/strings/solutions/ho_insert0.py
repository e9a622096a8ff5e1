import sys


def main():
    s = sys.stdin.readline().strip()
    n = len(s)
    pi = [0] * n
    for i in range(1, n):
        k = pi[i - 1]
        while k > 0 and s[i] != s[k]:
            k = pi[k - 1]
        if s[i] == s[k]:
            k += 1
        pi[i] = k
    p = n - pi[n - 1]
    out = []
    for c in reversed(s[:p]):
        out.insert(0, c)  # shifts everything already there
    print(p)
    print("".join(out))


main()
