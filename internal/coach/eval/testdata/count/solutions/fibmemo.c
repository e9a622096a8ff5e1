#include <stdio.h>
#include <stdlib.h>
static long long *memo;
static long long fib(int k) {
    if (k < 2) return k;
    if (memo[k] >= 0) return memo[k];
    long long r = (fib(k - 1) + fib(k - 2)) % 1000000007LL;
    memo[k] = r;
    return r;
}
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    memo = malloc(sizeof(long long) * (n + 2));
    for (int i = 0; i <= n; i++) memo[i] = -1;
    for (int i = 0; i <= n; i++) fib(i);
    printf("%lld\n", fib(n));
    free(memo);
    return 0;
}
