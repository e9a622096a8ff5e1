#include <cstdio>
#include <set>
#include <utility>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<int> c(n + 1), par(n + 1, 0), left(n + 1, 0), ans(n + 1), order;
    for (int v = 1; v <= n; v++) scanf("%d", &c[v]);
    for (int v = 2; v <= n; v++) scanf("%d", &par[v]), left[par[v]]++;
    std::vector<std::set<int>> s(n + 1);
    for (int v = 1; v <= n; v++)
        if (!left[v]) order.push_back(v);
    for (size_t i = 0; i < order.size(); i++) {
        int v = order[i];
        s[v].insert(c[v]);
        ans[v] = s[v].size();
        int p = par[v];
        if (!p) continue;
        if (s[p].size() < s[v].size()) std::swap(s[p], s[v]);
        s[p].insert(s[v].begin(), s[v].end());
        std::set<int>().swap(s[v]);
        if (--left[p] == 0) order.push_back(p);
    }
    for (int v = 1; v <= n; v++) printf("%d%c", ans[v], v < n ? ' ' : '\n');
}
