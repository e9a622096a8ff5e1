// Bug: finalises a crossing when it is first pushed instead of when it is popped.
#include <cstdio>
#include <queue>
#include <vector>

int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<std::vector<std::pair<int, long long>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v;
        long long w;
        scanf("%d %d %lld", &u, &v, &w);
        adj[u].push_back({v, w});
    }
    std::vector<long long> dist(n + 1, -1);
    std::priority_queue<std::pair<long long, int>, std::vector<std::pair<long long, int>>, std::greater<>> pq;
    dist[1] = 0;
    pq.push({0, 1});
    while (!pq.empty()) {
        auto [d, v] = pq.top();
        pq.pop();
        for (auto [u, w] : adj[v])
            if (dist[u] < 0) {
                dist[u] = d + w;
                pq.push({dist[u], u});
            }
    }
    for (int v = 1; v <= n; v++) printf("%lld%c", dist[v], v < n ? ' ' : '\n');
}
