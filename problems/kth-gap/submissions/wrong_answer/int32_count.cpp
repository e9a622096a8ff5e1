// Bug: k and the pair count are 32-bit ints; both overflow for large pools.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n, k;
    long long kk;
    scanf("%d %lld", &n, &kk);
    k = (int)kk;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    std::sort(a.begin(), a.end());
    int lo = 0, hi = a[n - 1] - a[0];
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, c = 0;
        for (int i = 0, j = 0; i < n; i++) {
            while (a[i] - a[j] > mid) j++;
            c += i - j;
        }
        if (c >= k) hi = mid;
        else lo = mid + 1;
    }
    printf("%d\n", lo);
}
