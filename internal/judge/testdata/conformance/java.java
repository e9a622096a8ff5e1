import java.util.*;

public class Conformance {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String mode = in.next();
        switch (mode) {
            case "hello":
                System.out.println("Hello, World!");
                break;
            case "sum":
                long a = in.nextLong(), b = in.nextLong();
                System.out.println(a + b);
                break;
            case "loop":
                long x = 2;
                while (x != 0) x = x * x % 1000003;
                System.out.println(x);
                break;
            case "args":
                StringBuilder sb = new StringBuilder();
                for (String arg : args) sb.append(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append(':').append(arg).append('|');
                byte[] out = (sb + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.out.write(out, 0, out.length);
                System.out.flush();
                break;
            case "crash":
                int[] v = new int[0];
                System.out.println(v[mode.length()]);
                break;
            case "alloc":
                List<long[]> keep = new ArrayList<>();
                for (;;) keep.add(new long[1 << 17]);
        }
    }
}
