// Bug: DFS post-order without cycle detection, so it prints an "order" even for cyclic input.
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<std::vector<int>> adj(n + 1);
    for (int j = 0; j < m; j++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back(b);
    }
    std::vector<char> seen(n + 1, 0);
    std::vector<int> post, it(n + 1, 0), st;
    for (int s = 1; s <= n; s++) {
        if (seen[s]) continue;
        seen[s] = 1;
        st.push_back(s);
        while (!st.empty()) {
            int v = st.back();
            if (it[v] < (int)adj[v].size()) {
                int u = adj[v][it[v]++];
                if (!seen[u]) {
                    seen[u] = 1;
                    st.push_back(u);
                }
            } else {
                post.push_back(v);
                st.pop_back();
            }
        }
    }
    for (int i = n - 1; i >= 0; i--) printf("%d%c", post[i], i ? ' ' : '\n');
}
