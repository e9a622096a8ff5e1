/* Tries every length from the longest ribbon downwards: O(n * max a). */
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
    long long L = hi;
    for (; L >= 1; L--) {
        long long pieces = 0;
        for (int i = 0; i < n && pieces < k; i++) pieces += a[i] / L;
        if (pieces >= k) break;
    }
    printf("%lld\n", L);
    return 0;
}
