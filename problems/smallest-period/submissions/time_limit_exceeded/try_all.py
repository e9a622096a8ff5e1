# Tries every p and checks it character by character: O(n^2) on a^(n-1) b.
s = input().strip()
n = len(s)
for p in range(1, n + 1):
    ok = True
    for i in range(n - p):
        if s[i] != s[i + p]:
            ok = False
            break
    if ok:
        print(p)
        break
