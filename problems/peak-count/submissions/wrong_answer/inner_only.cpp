// Bug: only inner readings are considered; the ends (and a single reading) are never peaks.
#include <cstdio>
#include <vector>

int main() {
    int n;
    scanf("%d", &n);
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    int count = 0;
    for (int i = 1; i + 1 < n; i++)
        if (a[i] > a[i - 1] && a[i] > a[i + 1]) count++;
    printf("%d\n", count);
}
