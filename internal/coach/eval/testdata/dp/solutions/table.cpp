#include <cstdio>
#include <vector>

int main() {
    int n, k;
    if (scanf("%d %d", &n, &k) != 2) return 1;
    std::vector<int> jump(k);
    for (int &d : jump) scanf("%d", &d);
    std::vector<long long> ways(n + 1, 0);
    ways[0] = 1;
    for (int i = 1; i <= n; i++)
        for (int d : jump)
            if (d <= i) ways[i] = (ways[i] + ways[i - d]) % 1000000007LL;
    printf("%lld\n", ways[n]);
}
