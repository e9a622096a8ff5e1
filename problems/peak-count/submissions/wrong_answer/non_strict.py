# Bug: uses >= so plateaus of equal readings are counted as peaks.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))
print(sum(1 for i in range(n) if (i == 0 or a[i] >= a[i - 1]) and (i == n - 1 or a[i] >= a[i + 1])))
