# Interactive validator: the program guesses a number in [1, 1000] and is
# told "higher", "lower" or "correct"; at most 10 guesses.
import sys


def main():
    secret = int(open(sys.argv[1]).read())
    feedback = sys.argv[3]

    def reject(msg):
        with open(feedback + "/judgemessage.txt", "w") as f:
            f.write(msg + "\n")
        sys.exit(43)

    for i in range(10):
        line = sys.stdin.readline()
        if not line:
            reject("no guess after %d guesses" % i)
        try:
            guess = int(line)
        except ValueError:
            reject("not a number: %r" % line[:20])
        if guess == secret:
            print("correct", flush=True)
            sys.exit(42)
        print("higher" if guess < secret else "lower", flush=True)
    reject("too many guesses")


main()
