// Runs a traversal from every router: O(n^2).
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<std::vector<std::pair<int, long long>>> adj(n + 1);
    for (int i = 0; i < n - 1; i++) {
        int u, v;
        long long w;
        scanf("%d %d %lld", &u, &v, &w);
        adj[u].push_back({v, w});
        adj[v].push_back({u, w});
    }
    long long best = 0;
    std::vector<long long> dist(n + 1);
    std::vector<int> st;
    for (int s = 1; s <= n; s++) {
        std::fill(dist.begin(), dist.end(), -1);
        dist[s] = 0;
        st.push_back(s);
        while (!st.empty()) {
            int v = st.back();
            st.pop_back();
            if (dist[v] > best) best = dist[v];
            for (auto [u, w] : adj[v])
                if (dist[u] < 0) dist[u] = dist[v] + w, st.push_back(u);
        }
    }
    printf("%lld\n", best);
}
