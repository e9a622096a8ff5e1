import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        long g = 0;
        for (int i = 0; i < n; i++) g = Gcd.of(g, in.nextLong());
        System.out.println(g);
    }
}
