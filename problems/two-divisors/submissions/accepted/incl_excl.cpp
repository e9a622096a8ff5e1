#include <cstdio>
#include <numeric>

typedef unsigned long long u64;
typedef __int128 i128;

int main() {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        u64 l, r, a, b;
        scanf("%llu %llu %llu %llu", &l, &r, &a, &b);
        // lcm may exceed 64 bits; multiples of it in [1, 1e18] are then zero.
        i128 m = (i128)(a / std::gcd(a, b)) * b;
        auto f = [&](u64 x) -> u64 {
            u64 both = m > (i128)x ? 0 : (u64)(x / (u64)m);
            return x / a + x / b - both;
        };
        printf("%llu\n", f(r) - f(l - 1));
    }
}
