# Unbounded recursion with Python's limit lifted: the interpreter's C stack
# (calls through a C function, here sorted's key) meets RLIMIT_STACK:
# SIGSEGV (RE), before the memory limit.
import sys

sys.setrecursionlimit(10**9)


def down(n):
    return sorted([n], key=down)[0] + 1


print(down(0))
