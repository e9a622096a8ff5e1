// Bug: assumes every collapse of a bridge that is not a self-loop splits a group.
#include <cstdio>
#include <numeric>
#include <vector>

std::vector<int> parent;
int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }

int main() {
    int n, m, q;
    scanf("%d %d %d", &n, &m, &q);
    std::vector<int> u(m), v(m);
    for (int i = 0; i < m; i++) scanf("%d %d", &u[i], &v[i]);
    parent.resize(n + 1);
    std::iota(parent.begin(), parent.end(), 0);
    int groups = n;
    for (int i = 0; i < m; i++) {
        int a = find(u[i]), b = find(v[i]);
        if (a != b) parent[a] = b, groups--;
    }
    for (int j = 0; j < q; j++) {
        int b;
        scanf("%d", &b);
        b--;
        if (u[b] != v[b] && groups < n) groups++;
        printf("%d\n", groups);
    }
}
