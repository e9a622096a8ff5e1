// Bug: the running total is a 32-bit int and overflows on large inputs.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    scanf("%d", &n);
    std::vector<int> t(n);
    for (auto &x : t) scanf("%d", &x);
    std::sort(t.begin(), t.end());
    int clock = 0, total = 0;
    for (int x : t) {
        clock += x;
        total += clock;
    }
    printf("%d\n", total);
}
