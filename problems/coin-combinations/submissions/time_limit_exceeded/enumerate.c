/* Enumerates every multiset of coins with an explicit stack: exponential. */
#include <stdio.h>

int main(void) {
    int n, x, c[50];
    if (scanf("%d %d", &n, &x) != 2) return 1;
    for (int i = 0; i < n; i++) scanf("%d", &c[i]);
    /* state: coin index i and remaining amount; try every count of coin i */
    static int rem[64], cnt[64];
    long long total = 0;
    int top = 0;
    rem[0] = x;
    cnt[0] = 0;
    while (top >= 0) {
        if (top == n) {
            if (rem[top] == 0) total = (total + 1) % 1000000007;
            top--;
            continue;
        }
        int used = cnt[top] * c[top];
        if (used > rem[top]) {
            top--;
            continue;
        }
        rem[top + 1] = rem[top] - used;
        cnt[top]++;
        top++;
        cnt[top] = 0;
    }
    printf("%lld\n", total);
    return 0;
}
