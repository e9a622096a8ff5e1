#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const long long MOD = 1000000007;
    int n, x;
    if (scanf("%d %d", &n, &x) != 2) return 1;
    long long *ways = calloc(x + 1, sizeof(long long));
    ways[0] = 1;
    for (int i = 0; i < n; i++) {
        int c;
        scanf("%d", &c);
        for (int s = c; s <= x; s++) ways[s] = (ways[s] + ways[s - c]) % MOD;
    }
    printf("%lld\n", ways[x]);
    return 0;
}
