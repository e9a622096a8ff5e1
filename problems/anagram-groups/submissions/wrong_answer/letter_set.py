# Bug: uses the set of letters as the signature, so "aab" and "ab" end up in one group.
import sys
from collections import Counter

data = sys.stdin.buffer.read().split()
n = int(data[0])
groups = Counter(frozenset(w) for w in data[1:1 + n])
print(len(groups), max(groups.values()))
