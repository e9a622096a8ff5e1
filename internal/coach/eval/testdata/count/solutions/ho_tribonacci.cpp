#include <cstdio>
long long trib(int k) {
    if (k < 3) return k == 2 ? 1 : 0;
    return trib(k - 1) + trib(k - 2) + trib(k - 3);
}
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    printf("%lld\n", trib(n));
}
