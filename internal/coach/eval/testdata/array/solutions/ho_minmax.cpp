#include <algorithm>
#include <cstdio>
#include <vector>
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> a(n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    long long hi = *std::max_element(a.begin(), a.end());
    long long lo = *std::min_element(a.begin(), a.end());
    printf("%lld\n", hi - lo);
}
