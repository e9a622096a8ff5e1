#include <stdio.h>
int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    const long long M = 1000000007LL;
    long long a = n % M, b = (n + 1) % M;
    printf("%lld\n", a * b % M * 500000004LL % M);
    return 0;
}
