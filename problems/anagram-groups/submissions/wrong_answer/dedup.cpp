// Bug: removes repeated words before grouping, although every occurrence counts.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>

int main() {
    int n;
    std::cin >> n;
    std::set<std::string> words;
    for (int i = 0; i < n; i++) {
        std::string w;
        std::cin >> w;
        words.insert(w);
    }
    std::map<std::string, int> groups;
    int best = 0;
    for (std::string w : words) {
        std::sort(w.begin(), w.end());
        best = std::max(best, ++groups[w]);
    }
    std::cout << groups.size() << " " << best << "\n";
}
