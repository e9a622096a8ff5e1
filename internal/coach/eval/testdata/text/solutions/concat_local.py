import sys


def reverse(s):
    out = ""
    for ch in reversed(s):
        out += ch
    return out


s = sys.stdin.readline().strip()
r = reverse(s)
print(len(r), r[:10])
