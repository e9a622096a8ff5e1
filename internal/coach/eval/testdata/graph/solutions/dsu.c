#include <stdio.h>
#include <stdlib.h>

static int *parent;

static int find(int x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

int main(void) {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    parent = malloc(sizeof(int) * (n + 1));
    for (int i = 0; i <= n; i++) parent[i] = i;
    int comps = n;
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        a = find(a);
        b = find(b);
        if (a != b) {
            parent[a] = b;
            comps--;
        }
    }
    printf("%d\n", comps);
    return 0;
}
