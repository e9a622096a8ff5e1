#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<std::pair<long long, int>> ev;
    for (int i = 0; i < n; i++) {
        long long s, e;
        scanf("%lld %lld", &s, &e);
        ev.push_back({s, +1});
        ev.push_back({e, -1});
    }
    std::sort(ev.begin(), ev.end());  // -1 sorts before +1 at equal times
    int cur = 0, best = 0;
    for (auto &[t, d] : ev) {
        cur += d;
        best = std::max(best, cur);
    }
    printf("%d\n", best);
}
