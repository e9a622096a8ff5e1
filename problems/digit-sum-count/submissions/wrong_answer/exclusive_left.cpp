// Bug: subtracts count(l) instead of count(l - 1), dropping l itself from the range.
#include <cstdio>
#include <string>

typedef long long ll;
const int MAXS = 9 * 19;
ll ways[20][MAXS + 1];

ll count(ll n, int k) {
    std::string s = std::to_string(n);
    int m = s.size(), pre = 0;
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

int main() {
    ways[0][0] = 1;
    for (int m = 1; m < 20; m++)
        for (int s = 0; s <= MAXS; s++)
            for (int d = 0; d <= 9 && s + d <= MAXS; d++) ways[m][s + d] += ways[m - 1][s];
    int t;
    scanf("%d", &t);
    while (t--) {
        ll l, r;
        int k;
        scanf("%lld %lld %d", &l, &r, &k);
        printf("%lld\n", count(r, k) - count(l, k));
    }
}
