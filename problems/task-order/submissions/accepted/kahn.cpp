#include <cstdio>
#include <vector>

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::vector<int>> adj(n + 1);
    std::vector<int> indeg(n + 1, 0), order;
    for (int j = 0; j < m; j++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back(b);
        indeg[b]++;
    }
    for (int v = 1; v <= n; v++)
        if (!indeg[v]) order.push_back(v);
    for (size_t i = 0; i < order.size(); i++)
        for (int w : adj[order[i]])
            if (--indeg[w] == 0) order.push_back(w);
    if ((int)order.size() != n) {
        puts("IMPOSSIBLE");
        return 0;
    }
    for (int i = 0; i < n; i++) printf("%d%c", order[i], i + 1 < n ? ' ' : '\n');
}
