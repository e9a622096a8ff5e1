// Bug: also connects diagonal neighbours (8-connectivity).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

int main() {
    int h, w;
    std::cin >> h >> w;
    std::vector<std::string> g(h);
    for (auto &r : g) std::cin >> r;
    int islands = 0, largest = 0;
    std::vector<std::pair<int, int>> st;
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) {
            if (g[i][j] != '#') continue;
            islands++;
            g[i][j] = '.';
            st.push_back({i, j});
            int size = 0;
            while (!st.empty()) {
                auto [r, c] = st.back();
                st.pop_back();
                size++;
                for (int dr = -1; dr <= 1; dr++)
                    for (int dc = -1; dc <= 1; dc++) {
                        int nr = r + dr, nc = c + dc;
                        if (nr >= 0 && nr < h && nc >= 0 && nc < w && g[nr][nc] == '#') {
                            g[nr][nc] = '.';
                            st.push_back({nr, nc});
                        }
                    }
            }
            largest = std::max(largest, size);
        }
    std::cout << islands << " " << largest << "\n";
}
