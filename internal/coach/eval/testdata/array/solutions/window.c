#include <stdio.h>
#include <stdlib.h>
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *a = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    long long limit = 5000000000LL, window = 0;
    int best = 0, j = 0;
    for (int i = 0; i < n; i++) {
        while (j < n && window + a[j] <= limit) {
            window += a[j];
            j++;
        }
        if (j - i > best) best = j - i;
        if (j > i) window -= a[i];
        else j = i + 1;
    }
    printf("%d\n", best);
    free(a);
    return 0;
}
