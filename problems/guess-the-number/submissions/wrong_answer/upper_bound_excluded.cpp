// Bug: searches the half-open range [1, N) and therefore never finds x = N.
#include <iostream>
#include <string>

int main() {
    long long n;
    std::cin >> n;
    long long lo = 1, hi = n;
    while (hi - lo > 1) {
        long long mid = (lo + hi) / 2;
        std::cout << "? " << mid << std::endl;
        std::string r;
        std::cin >> r;
        if (r == "=") { lo = mid; break; }
        if (r == "<") hi = mid;
        else lo = mid;
    }
    std::cout << "! " << lo << std::endl;
}
