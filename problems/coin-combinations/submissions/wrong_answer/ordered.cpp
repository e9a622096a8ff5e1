// Bug: amounts in the outer loop count ordered sequences (1+2 and 2+1 separately).
#include <cstdio>
#include <vector>

int main() {
    const long long MOD = 1000000007;
    int n, x;
    scanf("%d %d", &n, &x);
    std::vector<int> c(n);
    for (auto &v : c) scanf("%d", &v);
    std::vector<long long> ways(x + 1, 0);
    ways[0] = 1;
    for (int s = 1; s <= x; s++)
        for (int v : c)
            if (v <= s) ways[s] = (ways[s] + ways[s - v]) % MOD;
    printf("%lld\n", ways[x]);
}
