import java.io.*;

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
        int n = a.length;
        long limit = 5000000000L, window = 0;
        int best = 0, j = 0;
        for (int i = 0; i < n; i++) {
            while (j < n && window + a[j] <= limit) {
                window += a[j];
                j++;
            }
            best = Math.max(best, j - i);
            if (j > i) window -= a[i];
            else j = i + 1;
        }
        System.out.println(best);
    }
}
