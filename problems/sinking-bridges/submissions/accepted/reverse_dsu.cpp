#include <cstdio>
#include <numeric>
#include <vector>

std::vector<int> parent;
int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

int main() {
    int n, m, q;
    if (scanf("%d %d %d", &n, &m, &q) != 3) return 1;
    std::vector<int> u(m), v(m), ev(q);
    std::vector<char> falls(m, 0);
    for (int i = 0; i < m; i++) scanf("%d %d", &u[i], &v[i]);
    for (auto &b : ev) scanf("%d", &b), falls[--b] = 1;
    parent.resize(n + 1);
    std::iota(parent.begin(), parent.end(), 0);
    int groups = n;
    auto join = [&](int i) {
        int a = find(u[i]), b = find(v[i]);
        if (a != b) parent[a] = b, groups--;
    };
    for (int i = 0; i < m; i++)
        if (!falls[i]) join(i);
    std::vector<int> ans(q);
    for (int j = q - 1; j >= 0; j--) ans[j] = groups, join(ev[j]);
    for (int x : ans) printf("%d\n", x);
}
