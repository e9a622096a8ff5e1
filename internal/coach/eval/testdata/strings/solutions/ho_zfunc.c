#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *s = malloc(4000005);
    if (scanf("%4000004s", s) != 1) return 1;
    int n = strlen(s), l = 0, r = 0, p = n;
    int *z = calloc(n, sizeof(int));
    for (int i = 1; i < n; i++) {
        if (i < r) z[i] = r - i < z[i - l] ? r - i : z[i - l];
        while (i + z[i] < n && s[z[i]] == s[i + z[i]]) z[i]++;
        if (i + z[i] > r) l = i, r = i + z[i];
        if (i + z[i] == n && p == n) p = i;
    }
    printf("%d\n%.*s\n", p, p, s);
    return 0;
}
