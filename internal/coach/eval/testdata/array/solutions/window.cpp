#include <iostream>
#include <vector>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long limit = 5000000000LL, window = 0;
    int best = 0, j = 0;
    for (int i = 0; i < n; ++i) {
        while (j < n && window + a[j] <= limit) window += a[j++];
        best = max(best, j - i);
        if (j > i) window -= a[i];
        else j = i + 1;
    }
    cout << best << "\n";
}
