#include <iostream>
using namespace std;
int main() {
    long long n, s = 0;
    cin >> n;
    for (long long i = 0; i < n; ++i) {
        for (long long j = i + 1; j < n; ++j) {
            s += (i * j) % 5;
        }
    }
    cout << s << endl;
}
