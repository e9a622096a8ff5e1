// Bug: copies the left letter onto the right one, which is minimal in count but not always
// the lexicographically smallest palindrome.
#include <iostream>
#include <string>

int main() {
    std::string s;
    std::cin >> s;
    int n = s.size(), changes = 0;
    for (int i = 0; i < n / 2; i++)
        if (s[i] != s[n - 1 - i]) {
            changes++;
            s[n - 1 - i] = s[i];
        }
    std::cout << changes << "\n" << s << "\n";
}
