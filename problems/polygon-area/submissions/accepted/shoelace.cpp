#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> x(n), y(n);
    for (int i = 0; i < n; i++) scanf("%lld %lld", &x[i], &y[i]);
    long long area2 = 0;
    double per = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        area2 += x[i] * y[j] - x[j] * y[i];
        per += std::hypot((double)(x[j] - x[i]), (double)(y[j] - y[i]));
    }
    printf("%.1f %.6f\n", std::llabs(area2) / 2.0, per);
}
