#include <stdio.h>

int main(void) {
    long long depth = 0, inserted = 0;
    int c;
    while ((c = getchar()) != EOF) {
        if (c == '(') depth++;
        else if (c == ')') {
            if (depth) depth--;
            else inserted++;
        }
    }
    printf("%lld\n", inserted + depth);
    return 0;
}
