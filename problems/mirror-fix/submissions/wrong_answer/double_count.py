# Bug: counts every mismatching position, i.e. each mismatched pair twice.
s = list(input().strip())
n = len(s)
bad = sum(1 for i in range(n) if s[i] != s[n - 1 - i])
for i in range(n // 2):
    s[i] = s[n - 1 - i] = min(s[i], s[n - 1 - i])
print(bad)
print("".join(s))
