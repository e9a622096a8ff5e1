#include <cstdio>
#include <vector>

int main() {
    const long long MOD = 1000000007;
    int n, x;
    if (scanf("%d %d", &n, &x) != 2) return 1;
    std::vector<long long> ways(x + 1, 0);
    ways[0] = 1;
    for (int i = 0; i < n; i++) {
        int c;
        scanf("%d", &c);
        for (int s = c; s <= x; s++) ways[s] = (ways[s] + ways[s - c]) % MOD;
    }
    printf("%lld\n", ways[x]);
}
