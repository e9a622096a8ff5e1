#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    int h, w;
    std::cin >> h >> w;
    std::string g;
    for (int i = 0; i < h; i++) {
        std::string row;
        std::cin >> row;
        g += row;
    }
    int islands = 0, largest = 0;
    std::vector<int> stack;
    for (int s = 0; s < h * w; s++) {
        if (g[s] != '#') continue;
        islands++;
        g[s] = '.';
        stack.push_back(s);
        int size = 0;
        while (!stack.empty()) {
            int v = stack.back();
            stack.pop_back();
            size++;
            int r = v / w, c = v % w;
            int nb[4] = {c > 0 ? v - 1 : -1, c + 1 < w ? v + 1 : -1, r > 0 ? v - w : -1, r + 1 < h ? v + w : -1};
            for (int u : nb)
                if (u >= 0 && g[u] == '#') {
                    g[u] = '.';
                    stack.push_back(u);
                }
        }
        largest = std::max(largest, size);
    }
    std::cout << islands << " " << largest << "\n";
}
