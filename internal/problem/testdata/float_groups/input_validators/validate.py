import re
import sys

s = sys.stdin.read()
if not re.fullmatch(r"(0|[1-9][0-9]{0,12})\n", s) or int(s) > 10**12:
    print("want one integer 0..10^12", file=sys.stderr)
    sys.exit(43)
sys.exit(42)
