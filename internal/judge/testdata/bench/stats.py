# Benchmark program: sum and number of distinct values of n integers.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
v = list(map(int, data[1:1 + n]))
print(sum(v), len(set(v)))
