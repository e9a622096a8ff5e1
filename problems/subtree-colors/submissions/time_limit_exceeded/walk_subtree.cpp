// Walks the whole subtree of every employee: O(n^2) on deep trees.
#include <cstdio>
#include <unordered_set>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<int> c(n + 1);
    std::vector<std::vector<int>> ch(n + 1);
    for (int v = 1; v <= n; v++) scanf("%d", &c[v]);
    for (int v = 2; v <= n; v++) {
        int p;
        scanf("%d", &p);
        ch[p].push_back(v);
    }
    std::vector<int> st;
    for (int v = 1; v <= n; v++) {
        std::unordered_set<int> seen;
        st.push_back(v);
        while (!st.empty()) {
            int x = st.back();
            st.pop_back();
            seen.insert(c[x]);
            for (int y : ch[x]) st.push_back(y);
        }
        printf("%zu%c", seen.size(), v < n ? ' ' : '\n');
    }
}
