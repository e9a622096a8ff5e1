#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *x, const void *y) {
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *a = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    qsort(a, n, sizeof(long long), cmp);
    long long s = 0;
    for (int i = 0; i < n; i++) s = (s + a[i] % 1000 * i) % 1000000007LL;
    printf("%lld\n", s);
    free(a);
    return 0;
}
