#include "validate.h"

// Arguments (testdata.yaml input_validator_args) may lower the bound on n:
// "n_max=1000" for the secret group. Other arguments are ignored.
int main(int argc, char **argv) {
    long long n_max = 100000;
    for (int i = 1; i < argc; i++)
        if (std::strncmp(argv[i], "n_max=", 6) == 0) n_max = std::atoll(argv[i] + 6);
    long long n = readInt('\n');
    if (n < 1 || n > n_max) fail("n out of range");
    for (long long i = 0; i < n; i++) {
        long long a = readInt(i + 1 == n ? '\n' : ' ');
        if (a < -1000000000LL || a > 1000000000LL) fail("value out of range");
    }
    if (std::getchar() != EOF) fail("trailing data");
    return 42;
}
