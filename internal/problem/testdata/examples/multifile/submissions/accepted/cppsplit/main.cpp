#include <cstdio>
#include "gcd.h"

int main() {
    int n;
    scanf("%d", &n);
    unsigned long long g = 0, a;
    while (n-- > 0 && scanf("%llu", &a) == 1) g = gcd(g, a);
    printf("%llu\n", g);
}
