// Bug: only accepts periods that divide the length (whole copies of the motif).
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::string s;
    std::cin >> s;
    int n = s.size();
    std::vector<int> pi(n, 0);
    for (int i = 1, k = 0; i < n; i++) {
        while (k && s[k] != s[i]) k = pi[k - 1];
        if (s[k] == s[i]) k++;
        pi[i] = k;
    }
    int p = n - pi[n - 1];
    std::cout << (n % p == 0 ? p : n) << "\n";
}
