import java.io.*;
import java.util.*;

class Main {
    public static void main(String[] args) throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.nextToken();
        int n = (int) in.nval;
        Map<Long, Integer> seen = new HashMap<>();
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            in.nextToken();
            long x = (long) in.nval % 100000;
            pairs += seen.getOrDefault(100000 - x, 0);
            seen.merge(x, 1, Integer::sum);
        }
        System.out.println(pairs);
    }
}
