#include <stdio.h>
#include <stdlib.h>

static int h, w;
static char *g;
static int *stack;

/* After each island, the search for the next land cell starts over from
 * the top-left corner. */
int main(void) {
    if (scanf("%d %d", &h, &w) != 2) return 1;
    g = malloc((size_t)h * w + 1);
    stack = malloc(sizeof(int) * h * w);
    char *row = malloc(w + 2);
    for (int i = 0; i < h; i++) {
        scanf("%s", row);
        for (int j = 0; j < w; j++) g[i * w + j] = row[j];
    }
    int islands = 0;
    for (;;) {
        int s = -1;
        for (int v = 0; v < h * w; v++)
            if (g[v] == '#') {
                s = v;
                break;
            }
        if (s < 0) break;
        islands++;
        int top = 0;
        g[s] = '.';
        stack[top++] = s;
        while (top) {
            int v = stack[--top], r = v / w, c = v % w;
            if (r > 0 && g[v - w] == '#') g[v - w] = '.', stack[top++] = v - w;
            if (r + 1 < h && g[v + w] == '#') g[v + w] = '.', stack[top++] = v + w;
            if (c > 0 && g[v - 1] == '#') g[v - 1] = '.', stack[top++] = v - 1;
            if (c + 1 < w && g[v + 1] == '#') g[v + 1] = '.', stack[top++] = v + 1;
        }
    }
    printf("%d\n", islands);
    return 0;
}
