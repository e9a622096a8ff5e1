# Three decimals: enough for the rough group only.
import math
print("%.3f" % math.sqrt(int(input())))
