#include <cstdio>
#include <vector>

int n;
std::vector<std::vector<std::pair<int, long long>>> adj;

std::pair<int, long long> farthest(int src) {
    std::vector<long long> dist(n + 1, -1);
    std::vector<int> st = {src};
    dist[src] = 0;
    while (!st.empty()) {
        int v = st.back();
        st.pop_back();
        for (auto [u, w] : adj[v])
            if (dist[u] < 0) {
                dist[u] = dist[v] + w;
                st.push_back(u);
            }
    }
    int best = 1;
    for (int v = 1; v <= n; v++)
        if (dist[v] > dist[best]) best = v;
    return {best, dist[best]};
}

int main() {
    if (scanf("%d", &n) != 1) return 1;
    adj.resize(n + 1);
    for (int i = 0; i < n - 1; i++) {
        int u, v;
        long long w;
        scanf("%d %d %lld", &u, &v, &w);
        adj[u].push_back({v, w});
        adj[v].push_back({u, w});
    }
    int a = farthest(1).first;
    printf("%lld\n", farthest(a).second);
}
