# Kattis interactor: input_file answer_file feedback_dir; talks to the
# submission on stdin (its output) and stdout (its input).
import sys

secret = int(open(sys.argv[1]).read())
feedback = sys.argv[3]


def judge(code, message):
    with open(feedback + "/judgemessage.txt", "w") as f:
        f.write(message + "\n")
    sys.exit(code)


for guess in range(1, 8):
    line = sys.stdin.readline()
    if not line:
        judge(43, "no guess")
    try:
        g = int(line)
    except ValueError:
        judge(43, "not a number: %r" % line)
    if g == secret:
        print("correct", flush=True)
        judge(42, "found in %d guesses" % guess)
    print("higher" if g < secret else "lower", flush=True)
judge(43, "no guesses left")
