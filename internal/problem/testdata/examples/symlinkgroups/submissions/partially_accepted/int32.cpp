#include <cstdio>

// Sums in 32 bits: right for group 1, overflows in group 2.
int main() {
    int n, s = 0;
    long long a;
    scanf("%d", &n);
    while (n-- > 0 && scanf("%lld", &a) == 1) s += (int)a;
    printf("%d\n", s);
}
