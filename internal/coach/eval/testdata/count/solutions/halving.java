import java.util.Scanner;

class Main {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        int steps = 0;
        while (n > 0) {
            n >>= 1;
            steps++;
        }
        System.out.println(steps);
    }
}
