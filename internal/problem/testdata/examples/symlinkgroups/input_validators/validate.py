import sys

limits = dict(arg.split("=") for arg in sys.argv[1:])
max_n, max_a = int(limits.get("max_n", 1000)), int(limits.get("max_a", 10**12))
lines = sys.stdin.read().split("\n")
try:
    n = int(lines[0])
    a = [int(t) for t in lines[1].split(" ")]
except (ValueError, IndexError):
    sys.exit(43)
if lines[2:] != [""] or not 1 <= n <= max_n or len(a) != n or any(not 0 <= x <= max_a for x in a):
    print("out of the group's limits", file=sys.stderr)
    sys.exit(43)
sys.exit(42)
