#include <stdio.h>
int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    int steps = 0;
    while (n > 0) {
        n /= 2;
        steps++;
    }
    printf("%d\n", steps);
    return 0;
}
