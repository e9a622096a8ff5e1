import sys

lines = sys.stdin.read().split("\n")
try:
    n = int(lines[0])
    a = [int(t) for t in lines[1].split(" ")]
except (ValueError, IndexError):
    sys.exit(43)
ok = lines[2:] == [""] and 1 <= n <= 100 and len(a) == n and all(1 <= x <= 10**18 for x in a)
sys.exit(42 if ok else 43)
