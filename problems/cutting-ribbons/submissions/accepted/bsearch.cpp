#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    long long lo = 0, hi = *std::max_element(a.begin(), a.end());
    while (lo < hi) {
        long long mid = (lo + hi + 1) / 2, pieces = 0;
        for (long long x : a) pieces += x / mid;  // at most 1e14, fits
        if (pieces >= k) lo = mid;
        else hi = mid - 1;
    }
    printf("%lld\n", lo);
}
