// Bug: the query ignores the pending additions stored on the nodes above the answer.
#include <algorithm>
#include <cstdio>
#include <vector>

typedef long long ll;
std::vector<ll> mx, lz;

void add(int node, int lo, int hi, int l, int r, ll v) {
    if (r < lo || hi < l) return;
    if (l <= lo && hi <= r) { mx[node] += v; lz[node] += v; return; }
    int mid = (lo + hi) / 2;
    add(2 * node, lo, mid, l, r, v);
    add(2 * node + 1, mid + 1, hi, l, r, v);
    mx[node] = std::max(mx[2 * node], mx[2 * node + 1]) + lz[node];
}

ll query(int node, int lo, int hi, int l, int r) {
    if (r < lo || hi < l) return -(1LL << 62);
    if (l <= lo && hi <= r) return mx[node];
    int mid = (lo + hi) / 2;
    return std::max(query(2 * node, lo, mid, l, r), query(2 * node + 1, mid + 1, hi, l, r));
}

int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    mx.assign(4 * n + 4, -(1LL << 62));
    lz.assign(4 * n + 4, 0);
    for (int i = 1; i <= n; i++) {
        ll x;
        scanf("%lld", &x);
        add(1, 1, n, i, i, x + (1LL << 62));
    }
    while (q--) {
        char op[2];
        int l, r;
        scanf("%1s %d %d", op, &l, &r);
        if (op[0] == '+') { ll v; scanf("%lld", &v); add(1, 1, n, l, r, v); }
        else printf("%lld\n", query(1, 1, n, l, r));
    }
}
