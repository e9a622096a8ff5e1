#include <cstdio>
#include <vector>

int main() {
    const long long MOD = 1000000007;
    int n, k, m;
    if (scanf("%d %d %d", &n, &k, &m) != 3) return 1;
    std::vector<int> d(k);
    for (auto &x : d) scanf("%d", &x);
    std::vector<char> ok(n + 1, 1);
    for (int i = 0; i < m; i++) {
        int b;
        scanf("%d", &b);
        ok[b] = 0;
    }
    std::vector<long long> ways(n + 1, 0);
    ways[0] = 1;
    for (int i = 1; i <= n; i++) {
        if (!ok[i]) continue;
        long long s = 0;
        for (int x : d)
            if (x <= i) s += ways[i - x];
        ways[i] = s % MOD;
    }
    printf("%lld\n", ways[n]);
}
