#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *ev = malloc(sizeof(long long) * 2 * n);
    for (int i = 0; i < n; i++) {
        long long s, e;
        scanf("%lld %lld", &s, &e);
        ev[2 * i] = s * 2 + 1; /* starts after ends at the same time */
        ev[2 * i + 1] = e * 2;
    }
    qsort(ev, 2 * n, sizeof(long long), cmp);
    int cur = 0, best = 0;
    for (int i = 0; i < 2 * n; i++) {
        cur += (ev[i] & 1) ? 1 : -1;
        if (cur > best) best = cur;
    }
    printf("%d\n", best);
    return 0;
}
