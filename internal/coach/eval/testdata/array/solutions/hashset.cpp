#include <iostream>
#include <unordered_set>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n;
    cin >> n;
    unordered_set<long long> seen;
    seen.reserve(n);
    for (int i = 0; i < n; ++i) {
        long long x;
        cin >> x;
        seen.insert(x % 1000003);
    }
    cout << seen.size() << "\n";
}
