// Bug: processes starts before ends at equal times, i.e. treats meetings as closed intervals.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    scanf("%d", &n);
    std::vector<std::pair<long long, int>> ev;
    for (int i = 0; i < n; i++) {
        long long s, e;
        scanf("%lld %lld", &s, &e);
        ev.push_back({s, -1});
        ev.push_back({e, +1});
    }
    std::sort(ev.begin(), ev.end());
    int cur = 0, best = 0;
    for (auto &[t, d] : ev) {
        cur -= d;
        best = std::max(best, cur);
    }
    printf("%d\n", best);
}
