#include <stdio.h>
#include <stdlib.h>
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int *a = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        a[i] = (int)(x % 7);
    }
    long long count = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if ((a[i] + a[j]) % 7 == 0) count++;
    printf("%lld\n", count);
    free(a);
    return 0;
}
