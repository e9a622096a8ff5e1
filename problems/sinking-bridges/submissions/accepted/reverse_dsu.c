#include <stdio.h>
#include <stdlib.h>

static int *parent;
static int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

int main(void) {
    int n, m, q;
    if (scanf("%d %d %d", &n, &m, &q) != 3) return 1;
    int *u = malloc(sizeof(int) * m), *v = malloc(sizeof(int) * m), *ev = malloc(sizeof(int) * q), *ans = malloc(sizeof(int) * q);
    char *falls = calloc(m, 1);
    for (int i = 0; i < m; i++) scanf("%d %d", &u[i], &v[i]);
    for (int j = 0; j < q; j++) {
        scanf("%d", &ev[j]);
        falls[--ev[j]] = 1;
    }
    parent = malloc(sizeof(int) * (n + 1));
    for (int i = 0; i <= n; i++) parent[i] = i;
    int groups = n;
    for (int i = 0; i < m; i++)
        if (!falls[i]) {
            int a = find(u[i]), b = find(v[i]);
            if (a != b) parent[a] = b, groups--;
        }
    for (int j = q - 1; j >= 0; j--) {
        ans[j] = groups;
        int a = find(u[ev[j]]), b = find(v[ev[j]]);
        if (a != b) parent[a] = b, groups--;
    }
    for (int j = 0; j < q; j++) printf("%d\n", ans[j]);
    return 0;
}
