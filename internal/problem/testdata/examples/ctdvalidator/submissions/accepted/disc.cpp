#include <cstdio>
#include <cstring>

// r has at most three decimals: compare 10^6 (x^2 + y^2) with (1000 r)^2.
int main() {
    int n;
    scanf("%d", &n);
    static long long x[1000], y[1000];
    for (int i = 0; i < n; i++) scanf("%lld %lld", &x[i], &y[i]);
    char buf[32];
    scanf("%31s", buf);
    long long whole = 0, frac = 0, scale = 1000;
    char *dot = strchr(buf, '.');
    if (dot) {
        *dot = 0;
        for (char *p = dot + 1; *p; p++) { frac = frac * 10 + (*p - '0'); scale /= 10; }
        frac *= scale;
    }
    for (char *p = buf; *p; p++) whole = whole * 10 + (*p - '0');
    __int128 R = whole * 1000 + frac, count = 0;
    for (int i = 0; i < n; i++) {
        __int128 d = (__int128)x[i] * x[i] + (__int128)y[i] * y[i];
        if (d * 1000000 <= R * R) count++;
    }
    printf("%lld\n", (long long)count);
}
