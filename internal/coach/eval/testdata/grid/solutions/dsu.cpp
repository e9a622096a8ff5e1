#include <iostream>
#include <string>
#include <vector>

static std::vector<int> parent;

static int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

int main() {
    std::ios::sync_with_stdio(false);
    int h, w;
    std::cin >> h >> w;
    std::vector<std::string> g(h);
    for (auto &row : g) std::cin >> row;
    parent.resize(h * w);
    int islands = 0;
    for (int i = 0; i < h * w; i++) parent[i] = i;
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) {
            if (g[i][j] != '#') continue;
            islands++;
            int v = i * w + j;
            if (i > 0 && g[i - 1][j] == '#') {
                int a = find(v), b = find(v - w);
                if (a != b) parent[a] = b, islands--;
            }
            if (j > 0 && g[i][j - 1] == '#') {
                int a = find(v), b = find(v - 1);
                if (a != b) parent[a] = b, islands--;
            }
        }
    std::cout << islands << "\n";
}
