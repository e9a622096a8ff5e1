// Bug: adds up the children's answers, counting a language shared by two teams twice.
#include <cstdio>
#include <set>
#include <vector>

int main() {
    int n;
    scanf("%d", &n);
    std::vector<int> c(n + 1), par(n + 1, 0), left(n + 1, 0), order;
    std::vector<long long> ans(n + 1, 0);
    std::vector<std::set<int>> childColors(n + 1);
    for (int v = 1; v <= n; v++) scanf("%d", &c[v]);
    for (int v = 2; v <= n; v++) scanf("%d", &par[v]), left[par[v]]++;
    for (int v = 1; v <= n; v++)
        if (!left[v]) order.push_back(v);
    for (size_t i = 0; i < order.size(); i++) {
        int v = order[i];
        ans[v] += childColors[v].count(c[v]) ? 0 : 1;
        int p = par[v];
        if (!p) continue;
        ans[p] += ans[v];
        childColors[p].insert(c[v]);
        if (--left[p] == 0) order.push_back(p);
    }
    for (int v = 1; v <= n; v++) printf("%lld%c", ans[v], v < n ? ' ' : '\n');
}
