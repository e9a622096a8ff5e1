import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        int n = Integer.parseInt(br.readLine().trim());
        List<List<Integer>> adj = new ArrayList<>();
        for (int v = 0; v <= n; v++) adj.add(new ArrayList<>());
        for (int i = 0; i < n - 1; i++) {
            StringTokenizer st = new StringTokenizer(br.readLine());
            int u = Integer.parseInt(st.nextToken()), v = Integer.parseInt(st.nextToken());
            adj.get(u).add(v);
            adj.get(v).add(u);
        }
        // A BFS from every vertex: n searches of n vertices each.
        int best = 0;
        int[] dist = new int[n + 1];
        int[] queue = new int[n + 1];
        for (int s = 1; s <= n; s++) {
            Arrays.fill(dist, -1);
            dist[s] = 0;
            int head = 0, tail = 0;
            queue[tail++] = s;
            while (head < tail) {
                int v = queue[head++];
                for (int u : adj.get(v)) {
                    if (dist[u] < 0) {
                        dist[u] = dist[v] + 1;
                        best = Math.max(best, dist[u]);
                        queue[tail++] = u;
                    }
                }
            }
        }
        System.out.println(best);
    }
}
