#include <stdio.h>
static long long fib(int k) {
    if (k < 2) return k;
    return fib(k - 1) + fib(k - 2);
}
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    printf("%lld\n", fib(n));
    return 0;
}
