#include <stdio.h>
#include <string.h>

typedef long long ll;
#define MAXS (9 * 19)
static ll ways[20][MAXS + 1];

static ll count(ll n, int k) {
    char s[24];
    sprintf(s, "%lld", n);
    int m = strlen(s), pre = 0;
    ll total = 0;
    for (int i = 0; i < m; i++) {
        int dig = s[i] - '0', rest = m - i - 1;
        for (int d = 0; d < dig; d++) {
            int need = ((-(pre + d)) % k + k) % k;
            for (int t = need; t <= MAXS; t += k) total += ways[rest][t];
        }
        pre += dig;
    }
    if (pre % k == 0) total++;
    return total;
}

int main(void) {
    ways[0][0] = 1;
    for (int m = 1; m < 20; m++)
        for (int s = 0; s <= MAXS; s++)
            for (int d = 0; d <= 9 && s + d <= MAXS; d++) ways[m][s + d] += ways[m - 1][s];
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        ll l, r;
        int k;
        scanf("%lld %lld %d", &l, &r, &k);
        printf("%lld\n", count(r, k) - count(l - 1, k));
    }
    return 0;
}
