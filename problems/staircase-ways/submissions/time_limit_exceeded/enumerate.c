/* Enumerates every jump sequence one by one with an explicit stack: exponential. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n, k, m;
    if (scanf("%d %d %d", &n, &k, &m) != 3) return 1;
    int d[10];
    for (int i = 0; i < k; i++) scanf("%d", &d[i]);
    char *ok = malloc(n + 1);
    for (int i = 0; i <= n; i++) ok[i] = 1;
    for (int i = 0; i < m; i++) {
        int b;
        scanf("%d", &b);
        ok[b] = 0;
    }
    int *pos = malloc(sizeof(int) * (n + 2)), *choice = malloc(sizeof(int) * (n + 2));
    long long count = 0;
    int top = 0;
    pos[0] = 0;
    choice[0] = 0;
    while (top >= 0) {
        if (pos[top] == n) {
            count = (count + 1) % 1000000007;
            top--;
            continue;
        }
        if (choice[top] == k) {
            top--;
            continue;
        }
        int next = pos[top] + d[choice[top]++];
        if (next <= n && ok[next]) {
            top++;
            pos[top] = next;
            choice[top] = 0;
        }
    }
    printf("%lld\n", count);
    return 0;
}
