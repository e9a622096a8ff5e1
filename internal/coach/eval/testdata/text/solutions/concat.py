import sys
s = sys.stdin.readline().strip()
out = ""
for ch in reversed(s):
    out += ch
print(len(out), out[:10])
