#include <iostream>
#include <vector>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<vector<long long>> a(n, vector<long long>(n)), c(n, vector<long long>(n));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) a[i][j] = (i * 7 + j * 3) % 10;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k) c[i][j] += a[i][k] * a[k][j];
    long long s = 0;
    for (int i = 0; i < n; ++i) s += c[i][i];
    cout << s << "\n";
}
