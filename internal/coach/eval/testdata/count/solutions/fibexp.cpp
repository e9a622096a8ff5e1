#include <iostream>
long long ways(int k) {
    if (k <= 1) return 1;
    return ways(k - 1) + ways(k - 2);
}
int main() {
    int n;
    std::cin >> n;
    std::cout << ways(n) << "\n";
}
