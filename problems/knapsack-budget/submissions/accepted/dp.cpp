#include <cstdio>
#include <vector>

int main() {
    int n, b;
    if (scanf("%d %d", &n, &b) != 2) return 1;
    std::vector<long long> dp(b + 1, 0);
    for (int i = 0; i < n; i++) {
        int c;
        long long v;
        scanf("%d %lld", &c, &v);
        for (int x = b; x >= c; x--)  // downwards: each item is used at most once
            if (dp[x - c] + v > dp[x]) dp[x] = dp[x - c] + v;
    }
    printf("%lld\n", dp[b]);
}
