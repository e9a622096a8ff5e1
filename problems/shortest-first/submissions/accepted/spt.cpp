#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> t(n);
    for (auto &x : t) scanf("%lld", &x);
    std::sort(t.begin(), t.end());
    long long clock = 0, total = 0;
    for (long long x : t) {
        clock += x;
        total += clock;
    }
    printf("%lld\n", total);
}
