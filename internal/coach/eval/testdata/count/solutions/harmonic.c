#include <stdio.h>
int main(void) {
    long long n, s = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (long long i = 1; i <= n; i++)
        for (long long j = i; j <= n; j += i) s += j % 3;
    printf("%lld\n", s);
    return 0;
}
