#include <stdio.h>
int main(void) {
    long long n, s = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (long long i = 0; i < n; i++)
        for (long long j = 0; j < i; j++)
            s += ((i ^ j) * 2654435761LL) % 7;
    printf("%lld\n", s);
    return 0;
}
