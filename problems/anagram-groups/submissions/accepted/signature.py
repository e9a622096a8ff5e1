import sys
from collections import Counter


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    # Sorting the letters gives the same signature for all anagrams of a word.
    groups = Counter(bytes(sorted(w)) for w in data[1:1 + n])
    print(len(groups), max(groups.values()))


main()
