import sys
s = sys.stdin.read()
try:
    n = int(s)
except ValueError:
    sys.exit(43)
sys.exit(42 if s == "%d\n" % n and 1 <= n <= 10**9 else 43)
