import java.io.*;
import java.util.*;

public class Main {
    static List<List<Integer>> adj = new ArrayList<>();
    static int best = 0;

    static int height(int v, int parent) {
        int a = 0, b = 0;
        for (int u : adj.get(v)) {
            if (u == parent) continue;
            int h = height(u, v) + 1;
            if (h > a) { b = a; a = h; } else if (h > b) b = h;
        }
        best = Math.max(best, a + b);
        return a;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        int n = Integer.parseInt(br.readLine().trim());
        for (int v = 0; v <= n; v++) adj.add(new ArrayList<>());
        for (int i = 0; i < n - 1; i++) {
            StringTokenizer st = new StringTokenizer(br.readLine());
            int u = Integer.parseInt(st.nextToken()), v = Integer.parseInt(st.nextToken());
            adj.get(u).add(v);
            adj.get(v).add(u);
        }
        height(1, 0);
        System.out.println(best);
    }
}
