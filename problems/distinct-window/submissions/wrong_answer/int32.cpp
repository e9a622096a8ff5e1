// Bug: the total is a 32-bit int; it overflows when almost every playlist is focused.
#include <cstdio>
#include <map>
#include <vector>

int main() {
    int n, k;
    scanf("%d %d", &n, &k);
    std::vector<int> g(n);
    for (auto &x : g) scanf("%d", &x);
    std::map<int, int> cnt;
    int distinct = 0, left = 0, total = 0;
    for (int right = 0; right < n; right++) {
        if (cnt[g[right]]++ == 0) distinct++;
        while (distinct > k)
            if (--cnt[g[left++]] == 0) distinct--;
        total += right - left + 1;
    }
    printf("%d\n", total);
}
