/* Bug: distances stored in 32-bit ints overflow along long heavy paths (Bellman-Ford queue). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n, m;
    scanf("%d %d", &n, &m);
    int *eu = malloc(sizeof(int) * (m + 1)), *ev = malloc(sizeof(int) * (m + 1)), *ew = malloc(sizeof(int) * (m + 1));
    int *head = malloc(sizeof(int) * (n + 1)), *nxt = malloc(sizeof(int) * (m + 1));
    for (int i = 0; i <= n; i++) head[i] = -1;
    for (int i = 0; i < m; i++) {
        scanf("%d %d %d", &eu[i], &ev[i], &ew[i]);
        nxt[i] = head[eu[i]];
        head[eu[i]] = i;
    }
    int *dist = malloc(sizeof(int) * (n + 1));
    char *inq = calloc(n + 1, 1), *seen = calloc(n + 1, 1);
    int *q = malloc(sizeof(int) * (n + 1)), qh = 0, qt = 0, cnt = 0;
    dist[1] = 0;
    seen[1] = 1;
    q[qt++] = 1;
    inq[1] = 1;
    cnt = 1;
    while (cnt) {
        int v = q[qh];
        qh = (qh + 1) % (n + 1);
        cnt--;
        inq[v] = 0;
        for (int e = head[v]; e >= 0; e = nxt[e]) {
            int u = ev[e], nd = dist[v] + ew[e];
            if (!seen[u] || nd < dist[u]) {
                seen[u] = 1;
                dist[u] = nd;
                if (!inq[u]) {
                    inq[u] = 1;
                    q[qt] = u;
                    qt = (qt + 1) % (n + 1);
                    cnt++;
                }
            }
        }
    }
    for (int v = 1; v <= n; v++) printf("%d%c", seen[v] ? dist[v] : -1, v < n ? ' ' : '\n');
    return 0;
}
