import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        int n = next(in), m = next(in);
        int[] deg = new int[n + 1], ea = new int[m], eb = new int[m];
        for (int i = 0; i < m; i++) {
            ea[i] = next(in);
            eb[i] = next(in);
            deg[ea[i]]++;
            deg[eb[i]]++;
        }
        List<List<Integer>> adj = new ArrayList<>();
        for (int v = 0; v <= n; v++) adj.add(new ArrayList<>(deg[v]));
        for (int i = 0; i < m; i++) {
            adj.get(ea[i]).add(eb[i]);
            adj.get(eb[i]).add(ea[i]);
        }
        boolean[] seen = new boolean[n + 1];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        int comps = 0;
        for (int s = 1; s <= n; s++) {
            if (seen[s]) continue;
            comps++;
            seen[s] = true;
            q.add(s);
            while (!q.isEmpty()) {
                int v = q.poll();
                for (int u : adj.get(v)) {
                    if (!seen[u]) {
                        seen[u] = true;
                        q.add(u);
                    }
                }
            }
        }
        System.out.println(comps);
    }

    static int next(DataInputStream in) throws IOException {
        int r = 0, b = in.read();
        while (b < '0') b = in.read();
        while (b >= '0') {
            r = r * 10 + b - '0';
            b = in.read();
        }
        return r;
    }
}
