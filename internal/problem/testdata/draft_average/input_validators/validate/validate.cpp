#include "validate.h"

int main() {
    long long n = readInt('\n');
    if (n < 1 || n > 100000) fail("n out of range");
    for (long long i = 0; i < n; i++) {
        long long a = readInt(i + 1 == n ? '\n' : ' ');
        if (a < -1000000000LL || a > 1000000000LL) fail("value out of range");
    }
    if (std::getchar() != EOF) fail("trailing data");
    return 42;
}
