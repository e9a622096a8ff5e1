# Bug: steps up by a fixed stride of N/20 and then scans linearly: far more than 30 questions.
import sys

n = int(sys.stdin.readline())
step = max(1, n // 20)
y = 1
while True:
    print("?", y, flush=True)
    r = sys.stdin.readline().strip()
    if r == "=" or r == "":
        break
    if r == "<":
        y -= 1
    else:
        y = min(n, y + step) if step > 1 else y + 1
    if r == "<":
        step = 1
print("!", y, flush=True)
