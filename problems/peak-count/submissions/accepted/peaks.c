#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *a = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    int count = 0;
    for (int i = 0; i < n; i++) {
        int left = i == 0 || a[i] > a[i - 1];
        int right = i == n - 1 || a[i] > a[i + 1];
        if (left && right) count++;
    }
    printf("%d\n", count);
    free(a);
    return 0;
}
