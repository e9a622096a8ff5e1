// Bug: 32-bit counter overflows for long, badly shuffled lists.
#include <cstdio>
#include <vector>

int sortCount(std::vector<int> &a, std::vector<int> &tmp, int lo, int hi) {
    if (hi - lo < 2) return 0;
    int mid = (lo + hi) / 2;
    int inv = sortCount(a, tmp, lo, mid) + sortCount(a, tmp, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid || j < hi) {
        if (j == hi || (i < mid && a[i] <= a[j])) tmp[k++] = a[i++];
        else inv += mid - i, tmp[k++] = a[j++];
    }
    for (int t = lo; t < hi; t++) a[t] = tmp[t];
    return inv;
}

int main() {
    int n;
    scanf("%d", &n);
    std::vector<int> a(n), tmp(n);
    for (auto &x : a) scanf("%d", &x);
    printf("%d\n", sortCount(a, tmp, 0, n));
}
