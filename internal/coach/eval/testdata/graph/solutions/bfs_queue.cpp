#include <cstdio>
#include <queue>
#include <vector>

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::vector<int>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back(b);
        adj[b].push_back(a);
    }
    std::vector<char> seen(n + 1, 0);
    std::queue<int> q;
    int comps = 0;
    for (int s = 1; s <= n; s++) {
        if (seen[s]) continue;
        comps++;
        seen[s] = 1;
        q.push(s);
        while (!q.empty()) {
            int v = q.front();
            q.pop();
            for (int u : adj[v])
                if (!seen[u]) {
                    seen[u] = 1;
                    q.push(u);
                }
        }
    }
    printf("%d\n", comps);
}
