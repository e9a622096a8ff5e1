#include <stdio.h>
#include <string.h>

static char s[200005];

int main(void) {
    if (scanf("%200004s", s) != 1) return 1;
    int n = strlen(s), changes = 0;
    for (int i = 0; i < n / 2; i++) {
        int j = n - 1 - i;
        if (s[i] != s[j]) {
            changes++;
            char m = s[i] < s[j] ? s[i] : s[j];
            s[i] = s[j] = m;
        }
    }
    printf("%d\n%s\n", changes, s);
    return 0;
}
