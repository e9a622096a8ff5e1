import sys

lines = sys.stdin.read().split("\n")
if len(lines) != 2 or lines[1] != "" or not lines[0].isdigit() or not 1 <= int(lines[0]) <= 100:
    sys.exit(43)
sys.exit(42)
