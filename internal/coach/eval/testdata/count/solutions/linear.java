import java.io.*;

class Main {
    public static void main(String[] args) throws IOException {
        long n = Long.parseLong(new BufferedReader(new InputStreamReader(System.in)).readLine().trim());
        long s = 0;
        for (long i = 0; i < n; i++) {
            s = (s + i * i) % 1000000007L;
        }
        System.out.println(s);
    }
}
