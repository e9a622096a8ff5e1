// Bug: takes the upper median (position k/2 + 1) for even window sizes.
#include <cstdio>
#include <set>
#include <vector>

int main() {
    int n, k;
    scanf("%d %d", &n, &k);
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    std::multiset<int> win(a.begin(), a.begin() + k);
    auto mid = std::next(win.begin(), k / 2);
    std::vector<int> out = {*mid};
    for (int i = k; i < n; i++) {
        win.insert(a[i]);
        win.erase(win.find(a[i - k]));
        out.push_back(*std::next(win.begin(), k / 2));  // O(k) walk, also slow
    }
    for (size_t i = 0; i < out.size(); i++) printf("%d%c", out[i], i + 1 < out.size() ? ' ' : '\n');
}
