// Bug: the cross product is evaluated in 32-bit ints and overflows for large coordinates.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

struct P { int x, y; };

int cross(P o, P a, P b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

int main() {
    int n;
    scanf("%d", &n);
    std::vector<P> p(n);
    for (auto &q : p) scanf("%d %d", &q.x, &q.y);
    std::sort(p.begin(), p.end(), [](P a, P b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    p.erase(std::unique(p.begin(), p.end(), [](P a, P b) { return a.x == b.x && a.y == b.y; }), p.end());
    n = p.size();
    if (n == 1) { puts("0.0"); return 0; }
    std::vector<P> h(2 * n);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
        h[k++] = p[i];
    }
    for (int i = n - 2, t = k + 1; i >= 0; i--) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
        h[k++] = p[i];
    }
    double per = 0;
    for (int i = 0; i + 1 < k; i++) per += std::hypot((double)h[i + 1].x - h[i].x, (double)h[i + 1].y - h[i].y);
    printf("%.6f\n", per);
}
