#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *t = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; i++) scanf("%lld", &t[i]);
    qsort(t, n, sizeof(long long), cmp);
    long long clock = 0, total = 0;
    for (int i = 0; i < n; i++) {
        clock += t[i];
        total += clock;
    }
    printf("%lld\n", total);
    free(t);
    return 0;
}
