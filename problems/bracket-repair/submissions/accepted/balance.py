import sys

s = sys.stdin.readline().strip()
depth = inserted = 0
for c in s:
    if c == "(":
        depth += 1
    elif depth:
        depth -= 1
    else:
        inserted += 1  # an unmatched ')' needs a '(' before it
print(inserted + depth)
