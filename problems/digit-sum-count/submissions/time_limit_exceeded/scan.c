/* Checks every number in the range: O(r - l) per query. */
#include <stdio.h>

int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long l, r, c = 0;
        int k;
        scanf("%lld %lld %d", &l, &r, &k);
        for (long long x = l; x <= r; x++) {
            int s = 0;
            for (long long y = x; y; y /= 10) s += y % 10;
            if (s % k == 0) c++;
        }
        printf("%lld\n", c);
    }
    return 0;
}
