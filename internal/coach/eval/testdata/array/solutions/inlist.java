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
        List<Long> distinct = new ArrayList<>();
        for (long x : a) {
            if (!distinct.contains(x)) distinct.add(x);
        }
        System.out.println(distinct.size());
    }
}
