unsigned long long gcd(unsigned long long a, unsigned long long b);
