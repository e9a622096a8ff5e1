import sys

MAXN = {{maxn}}
lines = sys.stdin.read().split("\n")
try:
    n = int(lines[0])
    a = [int(t) for t in lines[1].split(" ")]
except (ValueError, IndexError):
    sys.exit(43)
if lines[2:] != [""] or not 1 <= n <= MAXN or len(a) != n or any(abs(x) > 10**6 for x in a):
    sys.exit(43)
if "--integer-mean" in sys.argv[1:] and sum(a) % n != 0:
    print("group 1 promises an integer mean", file=sys.stderr)
    sys.exit(43)
sys.exit(42)
