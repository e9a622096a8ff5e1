// Bug: skips every link back to the parent vertex, so doubled links look critical.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<std::vector<std::pair<int, int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        adj[u].push_back({v, i});
        adj[v].push_back({u, i});
    }
    std::vector<int> tin(n + 1, 0), low(n + 1, 0), par(n + 1, 0), pe(n + 1, -1), bridges;
    std::vector<size_t> it(n + 1, 0);
    int timer = 1;
    for (int r = 1; r <= n; r++) {
        if (tin[r]) continue;
        std::vector<int> st = {r};
        tin[r] = low[r] = timer++;
        while (!st.empty()) {
            int v = st.back();
            if (it[v] < adj[v].size()) {
                auto [u, e] = adj[v][it[v]++];
                if (u == par[v]) continue;
                if (tin[u]) low[v] = std::min(low[v], tin[u]);
                else tin[u] = low[u] = timer++, par[u] = v, pe[u] = e, st.push_back(u);
            } else {
                st.pop_back();
                if (!st.empty()) {
                    int p = st.back();
                    low[p] = std::min(low[p], low[v]);
                    if (low[v] > tin[p]) bridges.push_back(pe[v] + 1);
                }
            }
        }
    }
    std::sort(bridges.begin(), bridges.end());
    printf("%zu\n", bridges.size());
    for (size_t i = 0; i < bridges.size(); i++) printf("%d ", bridges[i]);
    printf("\n");
}
