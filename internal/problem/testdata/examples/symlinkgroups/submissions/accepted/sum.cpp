#include <cstdio>

int main() {
    int n;
    scanf("%d", &n);
    long long s = 0, a;
    while (n-- > 0 && scanf("%lld", &a) == 1) s += a;
    printf("%lld\n", s);
}
