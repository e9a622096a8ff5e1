#include <iostream>
#include <vector>
#include <numeric>
int main() {
	std::ios::sync_with_stdio(false);
	long long a, b;
	std::cin >> a >> b;
	std::vector<long long> v{a, b};
	std::cout << std::accumulate(v.begin(), v.end(), 0LL) << "\n";
}
