#include <cstdio>
#include <vector>

int main() {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 1;
    const int LOG = 17;
    std::vector<std::vector<int>> up(LOG + 1, std::vector<int>(n + 1, 1));
    std::vector<long long> w(n + 1, 0), dist(n + 1, 0);
    std::vector<int> depth(n + 1, 0), order;
    std::vector<std::vector<int>> ch(n + 1);
    for (int v = 2; v <= n; v++) scanf("%d", &up[0][v]), ch[up[0][v]].push_back(v);
    for (int v = 2; v <= n; v++) scanf("%lld", &w[v]);
    order.push_back(1);  // BFS order: parents before children
    for (size_t i = 0; i < order.size(); i++)
        for (int c : ch[order[i]]) {
            depth[c] = depth[order[i]] + 1;
            dist[c] = dist[order[i]] + w[c];
            order.push_back(c);
        }
    for (int j = 1; j <= LOG; j++)
        for (int v = 1; v <= n; v++) up[j][v] = up[j - 1][up[j - 1][v]];
    while (q--) {
        int u, v;
        scanf("%d %d", &u, &v);
        long long base = dist[u] + dist[v];
        if (depth[u] < depth[v]) std::swap(u, v);
        for (int j = LOG; j >= 0; j--)
            if (depth[u] - (1 << j) >= depth[v]) u = up[j][u];
        if (u != v) {
            for (int j = LOG; j >= 0; j--)
                if (up[j][u] != up[j][v]) u = up[j][u], v = up[j][v];
            u = up[0][u];
        }
        printf("%lld\n", base - 2 * dist[u]);
    }
}
