// Checks every number of the range: O(r - l) per batch.
#include <stdio.h>

int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        unsigned long long l, r, a, b, c = 0;
        scanf("%llu %llu %llu %llu", &l, &r, &a, &b);
        for (unsigned long long k = l; k <= r; k++)
            if (k % a == 0 || k % b == 0) c++;
        printf("%llu\n", c);
    }
    return 0;
}
