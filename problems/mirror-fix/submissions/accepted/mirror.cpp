#include <algorithm>
#include <iostream>
#include <string>

int main() {
    std::string s;
    std::cin >> s;
    int n = s.size(), changes = 0;
    for (int i = 0; i < n / 2; i++) {
        char &a = s[i], &b = s[n - 1 - i];
        if (a != b) {
            changes++;
            a = b = std::min(a, b);
        }
    }
    std::cout << changes << "\n" << s << "\n";
}
