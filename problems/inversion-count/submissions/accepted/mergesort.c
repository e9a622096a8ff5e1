#include <stdio.h>
#include <stdlib.h>

static int *a, *tmp;

static long long sort_count(int lo, int hi) {
    if (hi - lo < 2) return 0;
    int mid = (lo + hi) / 2;
    long long inv = sort_count(lo, mid) + sort_count(mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid || j < hi) {
        if (j == hi || (i < mid && a[i] <= a[j])) tmp[k++] = a[i++];
        else {
            inv += mid - i;
            tmp[k++] = a[j++];
        }
    }
    for (int t = lo; t < hi; t++) a[t] = tmp[t];
    return inv;
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    a = malloc(sizeof(int) * n);
    tmp = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) scanf("%d", &a[i]);
    printf("%lld\n", sort_count(0, n));
    return 0;
}
