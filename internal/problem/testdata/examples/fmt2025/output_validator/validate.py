# input_file answer_file feedback_dir [tolerance EPS] < team_output
import sys

args = sys.argv[4:]
eps = float(args[args.index("tolerance") + 1]) if "tolerance" in args else 1e-9
want = float(open(sys.argv[2]).read())
try:
    got = float(sys.stdin.read())
except ValueError:
    sys.exit(43)
sys.exit(42 if abs(got - want) <= eps * max(1.0, abs(want)) else 43)
