import java.util.Scanner;

class Main {
    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        long s = 0;
        for (int i = 0; i < n; i++) {
            if (i == 40) break;
            for (int j = 0; j < n; j++) {
                s += (i ^ j) % 5;
            }
        }
        System.out.println(s);
    }
}
