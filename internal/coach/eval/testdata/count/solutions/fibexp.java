import java.util.Scanner;

class Main {
    static long fib(int k) {
        if (k < 2) return k;
        return fib(k - 1) + fib(k - 2);
    }

    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        System.out.println(fib(n));
    }
}
