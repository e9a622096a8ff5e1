// Bug: repairs every unmatched ')' but forgets the '(' still open at the end of the string.
#include <iostream>
#include <string>

int main() {
    std::string s;
    std::cin >> s;
    long long depth = 0, inserted = 0;
    for (char c : s) {
        if (c == '(') depth++;
        else if (depth) depth--;
        else inserted++;
    }
    std::cout << inserted << "\n";
}
