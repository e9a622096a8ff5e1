#include <cstdio>
#include <vector>

long long sortCount(std::vector<int> &a, std::vector<int> &tmp, int lo, int hi) {
    if (hi - lo < 2) return 0;
    int mid = (lo + hi) / 2;
    long long inv = sortCount(a, tmp, lo, mid) + sortCount(a, tmp, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid || j < hi) {
        if (j == hi || (i < mid && a[i] <= a[j])) tmp[k++] = a[i++];
        else {
            inv += mid - i;  // a[j] jumps over the remaining left half
            tmp[k++] = a[j++];
        }
    }
    for (int t = lo; t < hi; t++) a[t] = tmp[t];
    return inv;
}

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<int> a(n), tmp(n);
    for (auto &x : a) scanf("%d", &x);
    printf("%lld\n", sortCount(a, tmp, 0, n));
}
