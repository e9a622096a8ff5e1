import sys

s = list(sys.stdin.readline().strip())
n = len(s)
changes = 0
for i in range(n // 2):
    j = n - 1 - i
    if s[i] != s[j]:
        changes += 1
        s[i] = s[j] = min(s[i], s[j])
print(changes)
print("".join(s))
