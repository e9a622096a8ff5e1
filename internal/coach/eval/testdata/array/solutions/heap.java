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
        PriorityQueue<Long> pq = new PriorityQueue<>();
        for (long x : a) pq.add(x);
        long s = 0;
        while (!pq.isEmpty()) s = (s * 31 + pq.poll()) % 1000000007L;
        System.out.println(s);
    }
}
