#include <stdio.h>
#include <stdlib.h>

static int n, *head, *nxt, *to, *st;
static long long *wt, *dist;

static int farthest(int src) {
    for (int v = 1; v <= n; v++) dist[v] = -1;
    int top = 0, best = src;
    dist[src] = 0;
    st[top++] = src;
    while (top) {
        int v = st[--top];
        if (dist[v] > dist[best]) best = v;
        for (int e = head[v]; e >= 0; e = nxt[e])
            if (dist[to[e]] < 0) {
                dist[to[e]] = dist[v] + wt[e];
                st[top++] = to[e];
            }
    }
    return best;
}

int main(void) {
    if (scanf("%d", &n) != 1) return 1;
    head = malloc(sizeof(int) * (n + 1));
    nxt = malloc(sizeof(int) * 2 * n);
    to = malloc(sizeof(int) * 2 * n);
    st = malloc(sizeof(int) * (n + 1));
    wt = malloc(sizeof(long long) * 2 * n);
    dist = malloc(sizeof(long long) * (n + 1));
    for (int v = 0; v <= n; v++) head[v] = -1;
    for (int i = 0, e = 0; i < n - 1; i++) {
        int u, v;
        long long w;
        scanf("%d %d %lld", &u, &v, &w);
        to[e] = v, wt[e] = w, nxt[e] = head[u], head[u] = e++;
        to[e] = u, wt[e] = w, nxt[e] = head[v], head[v] = e++;
    }
    int a = farthest(1);
    int b = farthest(a);
    printf("%lld\n", dist[b]);
    return 0;
}
