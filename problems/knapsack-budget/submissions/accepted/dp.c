#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n, b;
    if (scanf("%d %d", &n, &b) != 2) return 1;
    long long *dp = calloc(b + 1, sizeof(long long));
    for (int i = 0; i < n; i++) {
        int c;
        long long v;
        scanf("%d %lld", &c, &v);
        for (int x = b; x >= c; x--)
            if (dp[x - c] + v > dp[x]) dp[x] = dp[x - c] + v;
    }
    printf("%lld\n", dp[b]);
    return 0;
}
