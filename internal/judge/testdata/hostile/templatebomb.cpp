// Every level instantiates two new templates: 2^40 distinct instantiations.
// The compiler runs out of memory or time long before it finishes; the judge
// must stop it within the compile limits and report CE.
template <int N, unsigned long long M> struct Bomb {
	static constexpr unsigned long long value = Bomb<N - 1, 2 * M>::value + Bomb<N - 1, 2 * M + 1>::value;
};
template <unsigned long long M> struct Bomb<0, M> {
	static constexpr unsigned long long value = M;
};
int main() { return (int)Bomb<40, 0>::value; }
