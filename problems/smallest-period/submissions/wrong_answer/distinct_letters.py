# Bug: guesses that the motif starts repeating at the first repeated letter.
s = input().strip()
n = len(s)
p = n
for i in range(1, n):
    if s[i] == s[0]:
        p = i
        break
print(p)
