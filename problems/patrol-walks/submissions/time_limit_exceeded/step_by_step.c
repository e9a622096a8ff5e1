/* Advances the walk counts one minute at a time: O(k n^2). */
#include <stdio.h>

int main(void) {
    int n, s, t;
    unsigned long long k;
    if (scanf("%d %llu %d %d", &n, &k, &s, &t) != 4) return 1;
    char m[30][40];
    for (int i = 0; i < n; i++) scanf("%s", m[i]);
    unsigned long long cur[30] = {0}, nxt[30];
    cur[s - 1] = 1;
    for (unsigned long long step = 0; step < k; step++) {
        for (int j = 0; j < n; j++) nxt[j] = 0;
        for (int i = 0; i < n; i++)
            if (cur[i])
                for (int j = 0; j < n; j++)
                    if (m[i][j] == '1') nxt[j] = (nxt[j] + cur[i]) % 1000000007ULL;
        for (int j = 0; j < n; j++) cur[j] = nxt[j];
    }
    printf("%llu\n", cur[t - 1]);
    return 0;
}
