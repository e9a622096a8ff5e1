import sys
s = sys.stdin.readline().strip()
i, j = 0, len(s) - 1
mismatches = 0
while i < j:
    if s[i] != s[j]:
        mismatches += 1
    i += 1
    j -= 1
print(mismatches)
