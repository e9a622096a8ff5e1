import java.io.*;
import java.util.*;

public class Main {
    static int[] jumps;
    static Map<Integer, Long> memo = new HashMap<>();

    static long ways(int i) {
        if (i == 0) return 1;
        Long known = memo.get(i);
        if (known != null) return known;
        long total = 0;
        for (int d : jumps)
            if (d <= i) total = (total + ways(i - d)) % 1000000007L;
        memo.put(i, total);
        return total;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer st = new StringTokenizer(br.readLine());
        int n = Integer.parseInt(st.nextToken()), k = Integer.parseInt(st.nextToken());
        st = new StringTokenizer(br.readLine());
        jumps = new int[k];
        for (int j = 0; j < k; j++) jumps[j] = Integer.parseInt(st.nextToken());
        for (int i = 0; i <= n; i += 1000) ways(i); // keeps the recursion shallow
        System.out.println(ways(n));
    }
}
