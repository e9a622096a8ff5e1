import java.io.*;
import java.util.*;

class Main {
    static long[] read() throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.nextToken();
        int n = (int) in.nval;
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            in.nextToken();
            a[i] = (long) in.nval;
        }
        return a;
    }

    public static void main(String[] args) throws IOException {
        long[] a = read();
        Arrays.sort(a);
        long s = 0;
        for (int i = 0; i < a.length; i++) s = (s + a[i] % 1000 * i) % 1000000007L;
        System.out.println(s);
    }
}
