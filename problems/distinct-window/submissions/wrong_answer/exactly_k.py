# Bug: counts playlists with exactly k genres instead of at most k.
import sys

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
g = data[2:2 + n]


def at_most(kk):
    if kk <= 0:
        return 0
    cnt, distinct, left, total = {}, 0, 0, 0
    for right in range(n):
        cnt[g[right]] = cnt.get(g[right], 0) + 1
        if cnt[g[right]] == 1:
            distinct += 1
        while distinct > kk:
            cnt[g[left]] -= 1
            if cnt[g[left]] == 0:
                distinct -= 1
            left += 1
        total += right - left + 1
    return total


print(at_most(k) - at_most(k - 1))
