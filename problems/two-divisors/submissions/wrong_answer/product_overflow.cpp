// Bug: computes lcm as a / gcd * b in 64 bits, which silently wraps around for large inputs.
#include <cstdio>
#include <numeric>

int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        unsigned long long l, r, a, b;
        scanf("%llu %llu %llu %llu", &l, &r, &a, &b);
        unsigned long long m = a / std::gcd(a, b) * b;
        auto f = [&](unsigned long long x) { return x / a + x / b - x / m; };
        printf("%llu\n", f(r) - f(l - 1));
    }
}
