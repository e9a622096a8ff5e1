#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    char mode[16];
    if (scanf("%15s", mode) != 1) return 1;
    if (!strcmp(mode, "hello")) {
        puts("Hello, World!");
    } else if (!strcmp(mode, "sum")) {
        long long a, b;
        scanf("%lld %lld", &a, &b);
        printf("%lld\n", a + b);
    } else if (!strcmp(mode, "loop")) {
        volatile long long x = 2;
        while (x != 0) x = x * x % 1000003;
        printf("%lld\n", x);
    } else if (!strcmp(mode, "args")) {
        for (int i = 1; i < argc; i++) printf("%zu:%s|", strlen(argv[i]), argv[i]);
        printf("\n");
    } else if (!strcmp(mode, "crash")) {
        int *p = NULL;
        printf("%d\n", p[strlen(mode)]);
    } else if (!strcmp(mode, "alloc")) {
        for (;;) {
            char *b = malloc(1 << 20);
            if (!b) return 3;
            memset(b, 'x', 1 << 20);
        }
    }
    return 0;
}
