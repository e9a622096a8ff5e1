#include <stdio.h>
int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    long long s = 0;
    for (int i = 0; i < 10; i++) s += (n % 1000) * i;
    printf("%lld\n", s + n / 2);
    return 0;
}
