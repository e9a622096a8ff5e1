#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    int count = 0;
    for (int i = 0; i < n; i++) {
        bool left = i == 0 || a[i] > a[i - 1];
        bool right = i == n - 1 || a[i] > a[i + 1];
        if (left && right) count++;
    }
    printf("%d\n", count);
}
