#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n, k;
    if (scanf("%d %d", &n, &k) != 2) return 1;
    int *jump = malloc(sizeof(int) * k);
    for (int j = 0; j < k; j++) scanf("%d", &jump[j]);
    long long *ways = calloc(n + 1, sizeof(long long));
    ways[0] = 1;
    for (int i = 1; i <= n; i++)
        for (int j = 0; j < k; j++)
            if (jump[j] <= i) ways[i] = (ways[i] + ways[i - jump[j]]) % 1000000007LL;
    printf("%lld\n", ways[n]);
    return 0;
}
