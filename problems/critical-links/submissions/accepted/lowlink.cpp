#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::vector<std::pair<int, int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        adj[u].push_back({v, i});
        adj[v].push_back({u, i});
    }
    std::vector<int> tin(n + 1, 0), low(n + 1, 0), bridges;
    std::vector<char> is_bridge(m, 0);  // by link id: the answer comes out sorted without a sort
    int timer = 1;
    struct Frame { int v, pe; size_t i; };
    std::vector<Frame> st;
    for (int r = 1; r <= n; r++) {
        if (tin[r]) continue;
        tin[r] = low[r] = timer++;
        st.push_back({r, -1, 0});
        while (!st.empty()) {
            Frame &f = st.back();
            if (f.i < adj[f.v].size()) {
                auto [u, e] = adj[f.v][f.i++];
                if (e == f.pe) continue;
                if (tin[u]) low[f.v] = std::min(low[f.v], tin[u]);
                else {
                    tin[u] = low[u] = timer++;
                    st.push_back({u, e, 0});
                }
            } else {
                int v = f.v, pe = f.pe;
                st.pop_back();
                if (!st.empty()) {
                    int p = st.back().v;
                    low[p] = std::min(low[p], low[v]);
                    if (low[v] > tin[p]) is_bridge[pe] = 1;
                }
            }
        }
    }
    for (int e = 0; e < m; e++)
        if (is_bridge[e]) bridges.push_back(e + 1);
    printf("%zu\n", bridges.size());
    for (size_t i = 0; i < bridges.size(); i++) printf("%d%c", bridges[i], i + 1 < bridges.size() ? ' ' : '\n');
    if (bridges.empty()) printf("\n");
}
