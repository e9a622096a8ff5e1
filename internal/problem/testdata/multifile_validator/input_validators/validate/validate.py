# A validator split over two modules: the judge cannot take it as one
# submission, so verification runs it as an output validator instead.
import sys
from limits import LO, HI

data = sys.stdin.read()
if data != data.strip() + "\n" or not data.strip().isdigit():
    print("want one non-negative integer", file=sys.stderr)
    sys.exit(43)
sys.exit(42 if LO <= int(data) <= HI else 43)
