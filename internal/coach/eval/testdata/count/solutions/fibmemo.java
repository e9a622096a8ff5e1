import java.util.*;

class Main {
    static long[] memo;

    static long fib(int k) {
        if (k < 2) return k;
        if (memo[k] != 0) return memo[k];
        long r = (fib(k - 1) + fib(k - 2)) % 1000000007L;
        memo[k] = r;
        return r;
    }

    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        memo = new long[n + 2];
        for (int i = 0; i <= n; i++) fib(i);
        System.out.println(fib(n));
    }
}
