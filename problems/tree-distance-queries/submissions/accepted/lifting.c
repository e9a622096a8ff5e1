#include <stdio.h>
#include <stdlib.h>

#define LOG 17

int main(void) {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 1;
    int *up[LOG + 1];
    for (int j = 0; j <= LOG; j++) {
        up[j] = malloc(sizeof(int) * (n + 1));
        for (int v = 0; v <= n; v++) up[j][v] = 1;
    }
    long long *w = calloc(n + 1, sizeof(long long)), *dist = calloc(n + 1, sizeof(long long));
    int *depth = calloc(n + 1, sizeof(int)), *head = malloc(sizeof(int) * (n + 1)), *nxt = malloc(sizeof(int) * (n + 1));
    int *order = malloc(sizeof(int) * (n + 1));
    for (int v = 0; v <= n; v++) head[v] = -1;
    for (int v = 2; v <= n; v++) {
        scanf("%d", &up[0][v]);
        nxt[v] = head[up[0][v]];
        head[up[0][v]] = v;
    }
    for (int v = 2; v <= n; v++) scanf("%lld", &w[v]);
    int len = 0;
    order[len++] = 1;
    for (int i = 0; i < len; i++)
        for (int c = head[order[i]]; c >= 0; c = nxt[c]) {
            depth[c] = depth[order[i]] + 1;
            dist[c] = dist[order[i]] + w[c];
            order[len++] = c;
        }
    for (int j = 1; j <= LOG; j++)
        for (int v = 1; v <= n; v++) up[j][v] = up[j - 1][up[j - 1][v]];
    while (q--) {
        int u, v;
        scanf("%d %d", &u, &v);
        long long base = dist[u] + dist[v];
        if (depth[u] < depth[v]) { int t = u; u = v; v = t; }
        for (int j = LOG; j >= 0; j--)
            if (depth[u] - (1 << j) >= depth[v]) u = up[j][u];
        if (u != v) {
            for (int j = LOG; j >= 0; j--)
                if (up[j][u] != up[j][v]) u = up[j][u], v = up[j][v];
            u = up[0][u];
        }
        printf("%lld\n", base - 2 * dist[u]);
    }
    return 0;
}
