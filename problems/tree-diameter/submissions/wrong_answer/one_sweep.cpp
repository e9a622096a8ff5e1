// Bug: reports the farthest distance from router 1 instead of from the farthest router.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    scanf("%d", &n);
    std::vector<std::vector<std::pair<int, long long>>> adj(n + 1);
    for (int i = 0; i < n - 1; i++) {
        int u, v;
        long long w;
        scanf("%d %d %lld", &u, &v, &w);
        adj[u].push_back({v, w});
        adj[v].push_back({u, w});
    }
    std::vector<long long> dist(n + 1, -1);
    std::vector<int> st = {1};
    dist[1] = 0;
    while (!st.empty()) {
        int v = st.back();
        st.pop_back();
        for (auto [u, w] : adj[v])
            if (dist[u] < 0) dist[u] = dist[v] + w, st.push_back(u);
    }
    printf("%lld\n", *std::max_element(dist.begin(), dist.end()));
}
