#include <cstdio>
#include <vector>

static std::vector<std::vector<int>> adj;

static std::pair<int, int> farthest(int s, int n) {
    std::vector<int> dist(n + 1, -1), q;
    dist[s] = 0;
    q.push_back(s);
    for (size_t i = 0; i < q.size(); i++) {
        int v = q[i];
        for (int u : adj[v])
            if (dist[u] < 0) {
                dist[u] = dist[v] + 1;
                q.push_back(u);
            }
    }
    int best = s;
    for (int v = 1; v <= n; v++)
        if (dist[v] > dist[best]) best = v;
    return {best, dist[best]};
}

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    adj.assign(n + 1, {});
    for (int i = 0; i < n - 1; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        adj[u].push_back(v);
        adj[v].push_back(u);
    }
    int a = farthest(1, n).first;
    printf("%d\n", farthest(a, n).second);
}
