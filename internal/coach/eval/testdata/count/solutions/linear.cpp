#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<long long> v(n);
    for (int i = 0; i < n; ++i) v[i] = (long long)i * i % 1000003;
    long long s = 0;
    for (long long x : v) s ^= x;
    std::cout << s << "\n";
}
