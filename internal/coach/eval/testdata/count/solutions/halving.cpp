#include <iostream>
int main() {
    long long n;
    std::cin >> n;
    int steps = 0;
    while (n > 1) {
        n = n / 2;
        ++steps;
    }
    std::cout << steps << "\n";
}
