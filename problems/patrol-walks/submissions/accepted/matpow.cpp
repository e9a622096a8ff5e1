#include <cstdio>
#include <vector>

typedef std::vector<std::vector<unsigned long long>> Mat;
const unsigned long long MOD = 1000000007ULL;

Mat mul(const Mat &a, const Mat &b) {
    int n = a.size(), m = b[0].size(), k = b.size();
    Mat c(n, std::vector<unsigned long long>(m, 0));
    for (int i = 0; i < n; i++)
        for (int l = 0; l < k; l++) {
            unsigned long long x = a[i][l];
            if (!x) continue;
            for (int j = 0; j < m; j++) c[i][j] = (c[i][j] + x * b[l][j]) % MOD;
        }
    return c;
}

int main() {
    int n, s, t;
    unsigned long long k;
    if (scanf("%d %llu %d %d", &n, &k, &s, &t) != 4) return 1;
    Mat m(n, std::vector<unsigned long long>(n));
    for (int i = 0; i < n; i++) {
        char row[40];
        scanf("%s", row);
        for (int j = 0; j < n; j++) m[i][j] = row[j] - '0';
    }
    Mat v(1, std::vector<unsigned long long>(n, 0));
    v[0][s - 1] = 1;
    while (k) {
        if (k & 1) v = mul(v, m);
        k >>= 1;
        if (k) m = mul(m, m);
    }
    printf("%llu\n", v[0][t - 1]);
}
