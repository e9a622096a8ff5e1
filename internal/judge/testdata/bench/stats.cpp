// Benchmark program: sum and number of distinct values of n integers.
#include <algorithm>
#include <cstdio>
#include <vector>
int main() {
	int n;
	if (scanf("%d", &n) != 1) return 1;
	std::vector<long long> v(n);
	long long sum = 0;
	for (auto &x : v) {
		scanf("%lld", &x);
		sum += x;
	}
	std::sort(v.begin(), v.end());
	long long distinct = std::unique(v.begin(), v.end()) - v.begin();
	printf("%lld %lld\n", sum, distinct);
}
