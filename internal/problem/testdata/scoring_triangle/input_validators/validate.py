import sys

# Group arguments (testdata.yaml input_validator_flags) may lower the bound:
# "max_n=1000" for the small group.
max_n = 10**9
for arg in sys.argv[1:]:
    key, _, value = arg.partition("=")
    if key != "max_n" or not value.isdigit():
        print("unknown argument %r" % arg, file=sys.stderr)
        sys.exit(2)
    max_n = int(value)
s = sys.stdin.read()
try:
    n = int(s)
except ValueError:
    sys.exit(43)
if s != "%d\n" % n:
    sys.exit(43)
if not 1 <= n <= max_n:
    print("n=%d out of range 1..%d" % (n, max_n), file=sys.stderr)
    sys.exit(43)
sys.exit(42)
