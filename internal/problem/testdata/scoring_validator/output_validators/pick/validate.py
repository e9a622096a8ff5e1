# Output validator with scores (validation: custom score): accepts any x in
# [1, n] and writes its score, 10 * x / n, to feedback_dir/score.txt.
import sys

n = int(open(sys.argv[1]).read())
feedback = sys.argv[3]


def reject(msg):
    with open(feedback + "/judgemessage.txt", "w") as f:
        f.write(msg + "\n")
    sys.exit(43)


tokens = sys.stdin.read().split()
if len(tokens) != 1:
    reject("want exactly one integer, got %d tokens" % len(tokens))
try:
    x = int(tokens[0])
except ValueError:
    reject("not an integer: %r" % tokens[0][:20])
if not 1 <= x <= n:
    reject("x=%d is outside 1..%d" % (x, n))
with open(feedback + "/score.txt", "w") as f:
    f.write("%.6f\n" % (10 * x / n))
sys.exit(42)
