#include <cstdio>
#include <vector>

static std::vector<std::vector<int>> adj;
static std::vector<char> seen;

static void dfs(int v) {
    seen[v] = 1;
    for (int u : adj[v])
        if (!seen[u]) dfs(u);
}

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    adj.assign(n + 1, {});
    seen.assign(n + 1, 0);
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back(b);
        adj[b].push_back(a);
    }
    int comps = 0;
    for (int v = 1; v <= n; v++)
        if (!seen[v]) {
            comps++;
            dfs(v);
        }
    printf("%d\n", comps);
}
