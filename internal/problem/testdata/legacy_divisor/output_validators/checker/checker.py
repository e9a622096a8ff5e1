# Kattis output validator: checker.py input answer feedback_dir [flags] < team_output
import sys

def reject(msg):
    with open(sys.argv[3] + "/judgemessage.txt", "w") as f:
        f.write(msg)
    sys.exit(43)

n = int(open(sys.argv[1]).read())
judge = open(sys.argv[2]).read().split()
strict = "strict" in sys.argv[4:]
team = sys.stdin.read().split()
if len(team) != 1:
    reject("want exactly one token")
if judge[0] == "prime":
    if team[0] != "prime":
        reject("n is prime")
    sys.exit(42)
if not team[0].isdigit():
    reject("want a divisor, got " + team[0][:20])
d = int(team[0])
if strict and team[0] != str(d):
    reject("leading zeros (validator_flags: strict)")
if not (1 < d < n and n % d == 0):
    reject("%d is not a proper divisor" % d)
sys.exit(42)
