#include <iostream>
#include <vector>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n;
    cin >> n;
    vector<int> a(n);
    for (int i = 0; i < n; ++i) {
        long long x;
        cin >> x;
        a[i] = x % 7;
    }
    long long count = 0;
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            if ((a[i] + a[j]) % 7 == 0) ++count;
    cout << count << "\n";
}
