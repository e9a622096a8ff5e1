#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

std::vector<int> parent;

int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }

int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::pair<int, int>> edges(m);
    for (auto &e : edges) {
        scanf("%d %d", &e.first, &e.second);
        if (e.first > e.second) std::swap(e.first, e.second);
    }
    // Sorted (and deduplicated) edges first, then one pass of unions.
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    parent.resize(n + 1);
    std::iota(parent.begin(), parent.end(), 0);
    int comps = n;
    for (auto &e : edges) {
        int a = find(e.first), b = find(e.second);
        if (a != b) {
            parent[a] = b;
            comps--;
        }
    }
    printf("%d\n", comps);
}
