#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<std::vector<int>> adj(n + 1);
    for (int i = 0; i < n - 1; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        adj[u].push_back(v);
        adj[v].push_back(u);
    }
    std::vector<int> parent(n + 1, 0), order;
    order.reserve(n);
    order.push_back(1);
    parent[1] = -1;
    for (size_t i = 0; i < order.size(); i++)
        for (int u : adj[order[i]])
            if (u != parent[order[i]]) {
                parent[u] = order[i];
                order.push_back(u);
            }
    std::vector<int> down(n + 1, 0);
    int best = 0;
    for (int i = n - 1; i >= 0; i--) {
        int v = order[i], a = 0, b = 0;
        for (int u : adj[v])
            if (u != parent[v]) {
                int h = down[u] + 1;
                if (h > a) b = a, a = h;
                else if (h > b) b = h;
            }
        down[v] = a;
        best = std::max(best, a + b);
    }
    printf("%d\n", best);
}
