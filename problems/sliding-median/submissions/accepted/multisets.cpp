#include <cstdio>
#include <set>
#include <vector>

int main() {
    int n, k;
    if (scanf("%d %d", &n, &k) != 2) return 1;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    std::multiset<int> lo, hi;  // lo holds the ceil(w/2) smallest values of the window
    auto balance = [&](size_t target) {
        while (lo.size() > target) {
            auto it = std::prev(lo.end());
            hi.insert(*it);
            lo.erase(it);
        }
        while (lo.size() < target) {
            lo.insert(*hi.begin());
            hi.erase(hi.begin());
        }
    };
    std::vector<int> out;
    for (int i = 0; i < n; i++) {
        if (i >= k) {
            int old = a[i - k];
            auto it = lo.find(old);
            if (it != lo.end() && old <= *lo.rbegin()) lo.erase(it);
            else hi.erase(hi.find(old));
        }
        if (!lo.empty() && a[i] <= *lo.rbegin()) lo.insert(a[i]);
        else hi.insert(a[i]);
        size_t w = std::min(i + 1, k);
        balance((w + 1) / 2);
        if (!lo.empty() && !hi.empty() && *lo.rbegin() > *hi.begin()) {
            int x = *lo.rbegin(), y = *hi.begin();
            lo.erase(std::prev(lo.end()));
            hi.erase(hi.begin());
            lo.insert(y);
            hi.insert(x);
        }
        if (i >= k - 1) out.push_back(*lo.rbegin());
    }
    for (size_t i = 0; i < out.size(); i++) printf("%d%c", out[i], i + 1 < out.size() ? ' ' : '\n');
}
