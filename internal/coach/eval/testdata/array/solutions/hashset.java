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
        Set<Long> seen = new HashSet<>();
        for (long x : a) {
            if (!seen.contains(x % 1000003)) seen.add(x % 1000003);
        }
        System.out.println(seen.size());
    }
}
