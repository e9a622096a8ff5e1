// Tries every subset by recursion: O(2^n).
#include <cstdio>
#include <vector>

int n, b;
std::vector<long long> c, v;
long long best = 0;

void go(int i, long long cost, long long val) {
    if (cost > b) return;
    if (val > best) best = val;
    if (i == n) return;
    go(i + 1, cost + c[i], val + v[i]);
    go(i + 1, cost, val);
}

int main() {
    if (scanf("%d %d", &n, &b) != 2) return 1;
    c.resize(n);
    v.resize(n);
    for (int i = 0; i < n; i++) scanf("%lld %lld", &c[i], &v[i]);
    go(0, 0, 0);
    printf("%lld\n", best);
}
