#include <stdio.h>
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    unsigned long long s = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                s = s * 31 + (unsigned)(i ^ j ^ k);
    printf("%llu\n", s);
    return 0;
}
