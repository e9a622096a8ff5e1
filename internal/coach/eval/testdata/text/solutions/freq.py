import sys
s = sys.stdin.readline().strip()
counts = [0] * 26
for ch in s:
    counts[ord(ch) - 97] += 1
best = 0
for i in range(len(s)):
    for c in range(26):
        if counts[c] > best:
            best = counts[c]
print(best)
