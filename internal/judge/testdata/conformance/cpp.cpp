#include <iostream>
#include <string>
#include <vector>
#include <stdexcept>
using namespace std;

int main(int argc, char **argv) {
    string mode;
    cin >> mode;
    if (mode == "hello") {
        cout << "Hello, World!" << endl;
    } else if (mode == "sum") {
        long long a, b;
        cin >> a >> b;
        cout << a + b << endl;
    } else if (mode == "loop") {
        volatile long long x = 2;
        while (x != 0) x = x * x % 1000003;
        cout << x << endl;
    } else if (mode == "args") {
        for (int i = 1; i < argc; i++) cout << string(argv[i]).size() << ':' << argv[i] << '|';
        cout << endl;
    } else if (mode == "crash") {
        vector<int> v;
        cout << v.at(mode.size()) << endl;
    } else if (mode == "alloc") {
        vector<string> keep;
        for (;;) keep.push_back(string(1 << 20, 'x'));
    }
}
