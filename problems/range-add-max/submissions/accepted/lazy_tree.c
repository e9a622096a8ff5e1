#include <stdio.h>
#include <stdlib.h>

typedef long long ll;
static ll *mx, *lz;

static ll max2(ll a, ll b) { return a > b ? a : b; }

static void add(int node, int lo, int hi, int l, int r, ll v) {
    if (r < lo || hi < l) return;
    if (l <= lo && hi <= r) {
        mx[node] += v;
        lz[node] += v;
        return;
    }
    int mid = (lo + hi) / 2;
    add(2 * node, lo, mid, l, r, v);
    add(2 * node + 1, mid + 1, hi, l, r, v);
    mx[node] = max2(mx[2 * node], mx[2 * node + 1]) + lz[node];
}

static ll query(int node, int lo, int hi, int l, int r) {
    if (r < lo || hi < l) return -(1LL << 62);
    if (l <= lo && hi <= r) return mx[node];
    int mid = (lo + hi) / 2;
    return max2(query(2 * node, lo, mid, l, r), query(2 * node + 1, mid + 1, hi, l, r)) + lz[node];
}

static void build(int node, int lo, int hi, const ll *a) {
    if (lo == hi) {
        mx[node] = a[lo];
        return;
    }
    int mid = (lo + hi) / 2;
    build(2 * node, lo, mid, a);
    build(2 * node + 1, mid + 1, hi, a);
    mx[node] = max2(mx[2 * node], mx[2 * node + 1]);
}

int main(void) {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 1;
    ll *a = malloc(sizeof(ll) * (n + 1));
    for (int i = 1; i <= n; i++) scanf("%lld", &a[i]);
    mx = calloc(4 * n + 4, sizeof(ll));
    lz = calloc(4 * n + 4, sizeof(ll));
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
    return 0;
}
