import java.io.*;

public class Main {
    static int h, w;
    static char[][] g;
    static boolean[][] seen;

    static void fill(int r, int c) {
        if (r < 0 || r >= h || c < 0 || c >= w || g[r][c] != '#' || seen[r][c]) return;
        seen[r][c] = true;
        fill(r + 1, c);
        fill(r - 1, c);
        fill(r, c + 1);
        fill(r, c - 1);
    }

    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        String[] hw = br.readLine().trim().split(" ");
        h = Integer.parseInt(hw[0]);
        w = Integer.parseInt(hw[1]);
        g = new char[h][];
        for (int i = 0; i < h; i++) g[i] = br.readLine().trim().toCharArray();
        seen = new boolean[h][w];
        int islands = 0;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                if (g[i][j] == '#' && !seen[i][j]) {
                    islands++;
                    fill(i, j);
                }
        System.out.println(islands);
    }
}
