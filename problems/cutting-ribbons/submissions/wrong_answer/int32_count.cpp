// Bug: counts pieces in a 32-bit int, which overflows for short pieces of long ribbons.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    scanf("%d %lld", &n, &k);
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    int lo = 0, hi = *std::max_element(a.begin(), a.end());
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2, pieces = 0;
        for (int x : a) pieces += x / mid;
        if (pieces >= k) lo = mid;
        else hi = mid - 1;
    }
    printf("%d\n", lo);
}
