#include <algorithm>
#include <cstdio>
#include <vector>

typedef long long ll;
int n;
std::vector<ll> mx, lz;

void add(int node, int lo, int hi, int l, int r, ll v) {
    if (r < lo || hi < l) return;
    if (l <= lo && hi <= r) {
        mx[node] += v;
        lz[node] += v;
        return;
    }
    int mid = (lo + hi) / 2;
    add(2 * node, lo, mid, l, r, v);
    add(2 * node + 1, mid + 1, hi, l, r, v);
    mx[node] = std::max(mx[2 * node], mx[2 * node + 1]) + lz[node];
}

ll query(int node, int lo, int hi, int l, int r) {
    if (r < lo || hi < l) return -(1LL << 62);
    if (l <= lo && hi <= r) return mx[node];
    int mid = (lo + hi) / 2;
    return std::max(query(2 * node, lo, mid, l, r), query(2 * node + 1, mid + 1, hi, l, r)) + lz[node];
}

void build(int node, int lo, int hi, const std::vector<ll> &a) {
    if (lo == hi) {
        mx[node] = a[lo];
        return;
    }
    int mid = (lo + hi) / 2;
    build(2 * node, lo, mid, a);
    build(2 * node + 1, mid + 1, hi, a);
    mx[node] = std::max(mx[2 * node], mx[2 * node + 1]);
}

int main() {
    int q;
    if (scanf("%d %d", &n, &q) != 2) return 1;
    std::vector<ll> a(n + 1);
    for (int i = 1; i <= n; i++) scanf("%lld", &a[i]);
    mx.assign(4 * n + 4, 0);
    lz.assign(4 * n + 4, 0);
    build(1, 1, n, a);
    while (q--) {
        char op[2];
        int l, r;
        scanf("%1s %d %d", op, &l, &r);
        if (op[0] == '+') {
            ll v;
            scanf("%lld", &v);
            add(1, 1, n, l, r, v);
        } else {
            printf("%lld\n", query(1, 1, n, l, r));
        }
    }
}
