#include <algorithm>
#include <iostream>
#include <string>
#include <unordered_map>

int main() {
    std::ios::sync_with_stdio(false);
    int n;
    std::cin >> n;
    std::unordered_map<std::string, int> groups;
    int best = 0;
    for (int i = 0; i < n; i++) {
        std::string w;
        std::cin >> w;
        std::sort(w.begin(), w.end());
        best = std::max(best, ++groups[w]);
    }
    std::cout << groups.size() << " " << best << "\n";
}
