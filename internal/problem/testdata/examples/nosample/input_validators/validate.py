import re, sys

data = sys.stdin.read()
if not re.fullmatch(r"[1-9][0-9]*\n", data) or int(data) > 10**9:
    sys.exit(43)
sys.exit(42)
