#include <iostream>
#include <unordered_map>
std::unordered_map<int, long long> memo;
long long fib(int k) {
    if (k < 2) return k;
    if (memo.count(k)) return memo[k];
    long long r = (fib(k - 1) + fib(k - 2)) % 1000000007LL;
    memo[k] = r;
    return r;
}
int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i <= n; ++i) fib(i);
    std::cout << fib(n) << "\n";
}
