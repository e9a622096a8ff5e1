/* Bug: reduces modulo 10^9+7 only at the end; 64-bit sums overflow long before that. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n, k, m;
    scanf("%d %d %d", &n, &k, &m);
    int d[10];
    for (int i = 0; i < k; i++) scanf("%d", &d[i]);
    char *ok = malloc(n + 1);
    for (int i = 0; i <= n; i++) ok[i] = 1;
    for (int i = 0; i < m; i++) {
        int b;
        scanf("%d", &b);
        ok[b] = 0;
    }
    unsigned long long *w = calloc(n + 1, sizeof *w);
    w[0] = 1;
    for (int i = 1; i <= n; i++)
        if (ok[i])
            for (int j = 0; j < k; j++)
                if (d[j] <= i) w[i] += w[i - d[j]];
    printf("%llu\n", w[n] % 1000000007ULL);
    return 0;
}
