import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer st = new StringTokenizer(br.readLine());
        int n = Integer.parseInt(st.nextToken()), k = Integer.parseInt(st.nextToken());
        st = new StringTokenizer(br.readLine());
        int[] jump = new int[k];
        for (int j = 0; j < k; j++) jump[j] = Integer.parseInt(st.nextToken());
        long[] ways = new long[n + 1];
        ways[0] = 1;
        for (int i = 1; i <= n; i++)
            for (int j = 0; j < k; j++)
                if (jump[j] <= i) ways[i] = (ways[i] + ways[i - jump[j]]) % 1000000007L;
        System.out.println(ways[n]);
    }
}
