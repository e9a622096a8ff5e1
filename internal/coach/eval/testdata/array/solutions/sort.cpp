#include <algorithm>
#include <iostream>
#include <vector>
int main() {
    std::ios::sync_with_stdio(false);
    int n;
    std::cin >> n;
    std::vector<long long> a(n);
    for (auto &x : a) std::cin >> x;
    std::sort(a.begin(), a.end());
    long long s = 0;
    for (int i = 0; i < n; ++i) s = (s + a[i] % 1000 * i) % 1000000007LL;
    std::cout << s << "\n";
}
