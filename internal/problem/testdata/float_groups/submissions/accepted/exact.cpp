#include <cmath>
#include <cstdio>
int main() {
	long long x;
	if (std::scanf("%lld", &x) != 1) return 1;
	std::printf("%.12f\n", std::sqrt((double)x));
	return 0;
}
