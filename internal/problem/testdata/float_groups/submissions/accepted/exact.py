import math
print("%.12f" % math.sqrt(int(input())))
