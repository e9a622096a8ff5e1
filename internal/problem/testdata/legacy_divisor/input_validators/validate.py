import re, sys

data = sys.stdin.read()
if not re.fullmatch(r"[1-9][0-9]*\n", data):
    print("want one positive integer on one line", file=sys.stderr)
    sys.exit(43)
n = int(data)
if not 2 <= n <= 10**12:
    print("n out of range", file=sys.stderr)
    sys.exit(43)
sys.exit(42)
