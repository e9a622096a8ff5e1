#include <stdio.h>

int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    long long lo = 1, hi = n;
    while (lo < hi) {
        long long mid = (lo + hi) / 2;
        printf("? %lld\n", mid);
        fflush(stdout);
        char r[4];
        if (scanf("%3s", r) != 1) return 1;
        if (r[0] == '=') lo = hi = mid;
        else if (r[0] == '<') hi = mid - 1;
        else lo = mid + 1;
    }
    printf("! %lld\n", lo);
    fflush(stdout);
    return 0;
}
