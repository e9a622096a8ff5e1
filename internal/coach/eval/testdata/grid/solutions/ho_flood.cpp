#include <iostream>
#include <queue>
#include <string>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    int h, w;
    std::cin >> h >> w;
    std::vector<std::string> g(h);
    for (auto &row : g) std::cin >> row;
    std::vector<std::vector<char>> seen(h, std::vector<char>(w, 0));
    std::queue<std::pair<int, int>> q;
    int islands = 0;
    const int dr[4] = {1, -1, 0, 0}, dc[4] = {0, 0, 1, -1};
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) {
            if (g[i][j] != '#' || seen[i][j]) continue;
            islands++;
            seen[i][j] = 1;
            q.push({i, j});
            while (!q.empty()) {
                auto [r, c] = q.front();
                q.pop();
                for (int d = 0; d < 4; d++) {
                    int a = r + dr[d], b = c + dc[d];
                    if (a >= 0 && a < h && b >= 0 && b < w && g[a][b] == '#' && !seen[a][b]) {
                        seen[a][b] = 1;
                        q.push({a, b});
                    }
                }
            }
        }
    std::cout << islands << "\n";
}
