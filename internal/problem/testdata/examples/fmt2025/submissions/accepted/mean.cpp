#include <cstdio>

int main() {
    int n;
    scanf("%d", &n);
    long long s = 0, a;
    for (int i = 0; i < n; i++) { scanf("%lld", &a); s += a; }
    printf("%.9f\n", (double)s / n);
}
