import sys


def main():
    s = sys.stdin.readline().strip()
    n = len(s)
    p = n
    for c in range(1, n):
        if s[c:] == s[:n - c]:  # two copies of the string per candidate
            p = c
            break
    print(p)
    print(s[:p])


main()
