import re
import sys

s = sys.stdin.read()
if not re.fullmatch(r"[1-9][0-9]{0,6}\n", s) or int(s) > 10**6:
    print("want one integer 1..1000000", file=sys.stderr)
    sys.exit(43)
sys.exit(42)
