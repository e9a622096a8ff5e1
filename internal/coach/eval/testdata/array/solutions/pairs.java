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
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if ((a[i] + a[j]) % 7 == 0) count++;
            }
        }
        System.out.println(count);
    }
}
