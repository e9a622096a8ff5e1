import sys


def main():
    s = sys.stdin.readline().strip()
    n = len(s)
    pi = [0] * n  # pi[i] = longest proper border of s[:i+1]
    k = 0
    for i in range(1, n):
        c = s[i]
        while k and s[k] != c:
            k = pi[k - 1]
        if s[k] == c:
            k += 1
        pi[i] = k
    print(n - pi[-1])


main()
