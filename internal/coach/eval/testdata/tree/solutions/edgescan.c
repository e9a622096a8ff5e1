#include <stdio.h>
#include <stdlib.h>

static int n, *eu, *ev, *dist, *queue;

/* Neighbours are found by scanning the whole edge list for each vertex. */
static int farthest(int s, int *far) {
    for (int v = 1; v <= n; v++) dist[v] = -1;
    int head = 0, tail = 0, best = s;
    dist[s] = 0;
    queue[tail++] = s;
    while (head < tail) {
        int v = queue[head++];
        if (dist[v] > dist[best]) best = v;
        for (int e = 0; e < n - 1; e++) {
            int u = eu[e] == v ? ev[e] : ev[e] == v ? eu[e] : 0;
            if (u && dist[u] < 0) {
                dist[u] = dist[v] + 1;
                queue[tail++] = u;
            }
        }
    }
    *far = best;
    return dist[best];
}

int main(void) {
    if (scanf("%d", &n) != 1) return 1;
    eu = malloc(sizeof(int) * n);
    ev = malloc(sizeof(int) * n);
    dist = malloc(sizeof(int) * (n + 1));
    queue = malloc(sizeof(int) * (n + 1));
    for (int i = 0; i < n - 1; i++) scanf("%d %d", &eu[i], &ev[i]);
    int a, b;
    farthest(1, &a);
    printf("%d\n", farthest(a, &b));
    return 0;
}
