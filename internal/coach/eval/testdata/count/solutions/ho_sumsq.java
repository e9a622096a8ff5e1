import java.util.Scanner;

class Main {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        long sum = 0;
        for (long i = 1; i <= n; i++) {
            int k = 0;
            while (k < 3) {
                sum = (sum + i * k) % 998244353L;
                k++;
            }
        }
        System.out.println(sum);
    }
}
