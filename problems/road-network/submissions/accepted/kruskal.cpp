#include <algorithm>
#include <cstdio>
#include <numeric>
#include <tuple>
#include <vector>

std::vector<int> parent;
int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::tuple<long long, int, int>> e(m);
    for (auto &[w, u, v] : e) scanf("%d %d %lld", &u, &v, &w);
    std::sort(e.begin(), e.end());
    parent.resize(n + 1);
    std::iota(parent.begin(), parent.end(), 0);
    long long total = 0;
    int joined = 0;
    for (auto &[w, u, v] : e) {
        int a = find(u), b = find(v);
        if (a != b) parent[a] = b, total += w, joined++;
    }
    if (joined == n - 1) printf("%lld\n", total);
    else puts("IMPOSSIBLE");
}
