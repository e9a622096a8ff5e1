#include <stdio.h>
int main(void) {
    long long n, s = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (long long i = 0; i < n; i++) {
        s = (s + i * i) % 1000000007LL;
    }
    printf("%lld\n", s);
    return 0;
}
