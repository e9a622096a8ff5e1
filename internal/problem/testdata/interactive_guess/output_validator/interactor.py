# Kattis interactive validator: reads the secret from the input file,
# talks to the submission on stdin/stdout.
import sys

secret = int(open(sys.argv[1]).read())
fb = sys.argv[3]

def verdict(code, msg):
    with open(fb + "/judgemessage.txt", "w") as f:
        f.write(msg)
    sys.exit(code)

for guess_no in range(1, 11):
    line = sys.stdin.readline()
    if not line:
        verdict(43, "no guess")
    try:
        g = int(line)
    except ValueError:
        verdict(43, "not a number")
    if g == secret:
        print("correct", flush=True)
        verdict(42, "found in %d guesses" % guess_no)
    print("higher" if g < secret else "lower", flush=True)
verdict(43, "too many guesses")
