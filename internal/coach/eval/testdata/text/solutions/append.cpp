#include <iostream>
#include <string>
int main() {
    std::string s;
    std::cin >> s;
    std::string out;
    for (int i = (int)s.size() - 1; i >= 0; --i) {
        out += s[i];
    }
    std::cout << out.size() << "\n";
}
