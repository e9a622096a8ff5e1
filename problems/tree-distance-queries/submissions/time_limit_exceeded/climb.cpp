// Climbs parent pointers one step at a time for every question: O(n) per question.
#include <cstdio>
#include <vector>

int main() {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 1;
    std::vector<int> par(n + 1, 0), depth(n + 1, -1);
    std::vector<long long> w(n + 1, 0);
    for (int v = 2; v <= n; v++) scanf("%d", &par[v]);
    for (int v = 2; v <= n; v++) scanf("%lld", &w[v]);
    depth[1] = 0;
    for (int s = 2; s <= n; s++) {
        std::vector<int> path;
        int v = s;
        while (depth[v] < 0) path.push_back(v), v = par[v];
        for (int i = (int)path.size() - 1; i >= 0; i--) depth[path[i]] = depth[par[path[i]]] + 1;
    }
    while (q--) {
        int u, v;
        scanf("%d %d", &u, &v);
        long long d = 0;
        while (u != v) {
            if (depth[u] < depth[v]) std::swap(u, v);
            d += w[u];
            u = par[u];
        }
        printf("%lld\n", d);
    }
}
