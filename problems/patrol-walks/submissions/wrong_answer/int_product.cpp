// Bug: multiplies two residues as 32-bit ints, so the product overflows before the modulo.
#include <cstdio>
#include <vector>

typedef std::vector<std::vector<int>> Mat;
const int MOD = 1000000007;

Mat mul(const Mat &a, const Mat &b) {
    int n = a.size(), m = b[0].size(), k = b.size();
    Mat c(n, std::vector<int>(m, 0));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            for (int l = 0; l < k; l++) c[i][j] = (c[i][j] + a[i][l] * b[l][j] % MOD) % MOD;
    return c;
}

int main() {
    int n, s, t;
    unsigned long long k;
    scanf("%d %llu %d %d", &n, &k, &s, &t);
    Mat m(n, std::vector<int>(n));
    for (int i = 0; i < n; i++) {
        char row[40];
        scanf("%s", row);
        for (int j = 0; j < n; j++) m[i][j] = row[j] - '0';
    }
    Mat v(1, std::vector<int>(n, 0));
    v[0][s - 1] = 1;
    while (k) {
        if (k & 1) v = mul(v, m);
        k >>= 1;
        if (k) m = mul(m, m);
    }
    printf("%d\n", v[0][t - 1]);
}
