public class Gcd {
    static long of(long a, long b) {
        return b == 0 ? a : of(b, a % b);
    }
}
