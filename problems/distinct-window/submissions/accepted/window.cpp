#include <cstdio>
#include <unordered_map>
#include <vector>

int main() {
    int n, k;
    if (scanf("%d %d", &n, &k) != 2) return 1;
    std::vector<int> g(n);
    for (auto &x : g) scanf("%d", &x);
    std::unordered_map<int, int> cnt;
    cnt.reserve(2 * n);
    int distinct = 0, left = 0;
    long long total = 0;
    for (int right = 0; right < n; right++) {
        if (cnt[g[right]]++ == 0) distinct++;
        while (distinct > k)
            if (--cnt[g[left++]] == 0) distinct--;
        total += right - left + 1;
    }
    printf("%lld\n", total);
}
