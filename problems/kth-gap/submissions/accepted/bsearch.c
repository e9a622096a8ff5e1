#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *x, const void *y) {
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}

int main(void) {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    long long *a = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    qsort(a, n, sizeof(long long), cmp);
    long long lo = 0, hi = a[n - 1] - a[0];
    while (lo < hi) {
        long long mid = (lo + hi) / 2, c = 0;
        for (int i = 0, j = 0; i < n; i++) {
            while (a[i] - a[j] > mid) j++;
            c += i - j;
        }
        if (c >= k) hi = mid;
        else lo = mid + 1;
    }
    printf("%lld\n", lo);
    return 0;
}
