#include <stdio.h>
#include <string.h>
#include <stdlib.h>
int main(void) {
    char *s = malloc(1 << 26);
    if (scanf("%s", s) != 1) return 1;
    int n = strlen(s);
    long long counts[26] = {0};
    for (int i = 0; i < n; i++) counts[s[i] - 'a']++;
    long long best = 0;
    for (int c = 0; c < 26; c++)
        if (counts[c] > best) best = counts[c];
    printf("%lld\n", best);
    return 0;
}
