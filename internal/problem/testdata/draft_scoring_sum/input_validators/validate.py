# Input validator: exit 42 valid, 43 invalid. "--max M" (a group's
# input_validator_args) lowers the bound on |a| and |b|.
import re
import sys

limit = 10**17
args = sys.argv[1:]
if args[:1] == ["--max"] and len(args) == 2:
    limit = int(args[1])
elif args:
    sys.exit("usage: validate.py [--max M]")
data = sys.stdin.read()
m = re.fullmatch(r"(-?(?:0|[1-9][0-9]*)) (-?(?:0|[1-9][0-9]*))\n", data)
if not m:
    print("want one line: a b", file=sys.stderr)
    sys.exit(43)
a, b = int(m.group(1)), int(m.group(2))
if m.group(1) == "-0" or m.group(2) == "-0" or abs(a) > limit or abs(b) > limit:
    print("out of range (|a|, |b| <= %d)" % limit, file=sys.stderr)
    sys.exit(43)
sys.exit(42)
