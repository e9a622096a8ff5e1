#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int h, w;
    if (scanf("%d %d", &h, &w) != 2) return 1;
    char *g = malloc((size_t)h * w + 1);
    char *row = malloc(w + 2);
    for (int i = 0; i < h; i++) {
        scanf("%s", row);
        for (int j = 0; j < w; j++) g[i * w + j] = row[j];
    }
    int *stack = malloc(sizeof(int) * h * w);
    int islands = 0, largest = 0;
    for (int s = 0; s < h * w; s++) {
        if (g[s] != '#') continue;
        islands++;
        g[s] = '.';
        int top = 0, size = 0;
        stack[top++] = s;
        while (top) {
            int v = stack[--top];
            size++;
            int r = v / w, c = v % w;
            int nb[4] = {c > 0 ? v - 1 : -1, c + 1 < w ? v + 1 : -1, r > 0 ? v - w : -1, r + 1 < h ? v + w : -1};
            for (int k = 0; k < 4; k++)
                if (nb[k] >= 0 && g[nb[k]] == '#') {
                    g[nb[k]] = '.';
                    stack[top++] = nb[k];
                }
        }
        if (size > largest) largest = size;
    }
    printf("%d %d\n", islands, largest);
    return 0;
}
