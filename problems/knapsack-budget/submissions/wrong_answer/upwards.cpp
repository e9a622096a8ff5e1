// Bug: iterates the capacity upwards, which lets an upgrade be bought several times.
#include <cstdio>
#include <vector>

int main() {
    int n, b;
    scanf("%d %d", &n, &b);
    std::vector<long long> dp(b + 1, 0);
    for (int i = 0; i < n; i++) {
        int c;
        long long v;
        scanf("%d %lld", &c, &v);
        for (int x = c; x <= b; x++)
            if (dp[x - c] + v > dp[x]) dp[x] = dp[x - c] + v;
    }
    printf("%lld\n", dp[b]);
}
