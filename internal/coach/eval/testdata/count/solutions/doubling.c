#include <stdio.h>
int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    int bits = 0;
    for (long long p = 1; p < n; p *= 2) bits++;
    printf("%d\n", bits);
    return 0;
}
