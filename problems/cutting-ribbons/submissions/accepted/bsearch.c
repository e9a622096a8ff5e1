#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    long long *a = malloc(sizeof(long long) * n), hi = 0;
    for (int i = 0; i < n; i++) {
        scanf("%lld", &a[i]);
        if (a[i] > hi) hi = a[i];
    }
    long long lo = 0;
    while (lo < hi) {
        long long mid = (lo + hi + 1) / 2, pieces = 0;
        for (int i = 0; i < n; i++) pieces += a[i] / mid;
        if (pieces >= k) lo = mid;
        else hi = mid - 1;
    }
    printf("%lld\n", lo);
    return 0;
}
