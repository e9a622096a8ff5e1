#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char s[4000005];

int main(void) {
    if (scanf("%4000004s", s) != 1) return 1;
    int n = strlen(s);
    int *pi = calloc(n, sizeof(int));
    for (int i = 1; i < n; i++) {
        int k = pi[i - 1];
        while (k > 0 && s[i] != s[k]) k = pi[k - 1];
        if (s[i] == s[k]) k++;
        pi[i] = k;
    }
    int p = n - pi[n - 1];
    printf("%d\n%.*s\n", p, p, s);
    return 0;
}
