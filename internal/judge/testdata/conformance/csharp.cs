using System;
using System.Collections.Generic;

public class Conformance
{
    public static void Main(string[] args)
    {
        string[] t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        switch (t[0])
        {
            case "hello":
                Console.WriteLine("Hello, World!");
                break;
            case "sum":
                Console.WriteLine(long.Parse(t[1]) + long.Parse(t[2]));
                break;
            case "loop":
                long x = 2;
                while (x != 0) x = x * x % 1000003;
                Console.WriteLine(x);
                break;
            case "args":
                var sb = new System.Text.StringBuilder();
                foreach (var a in args) sb.Append(System.Text.Encoding.UTF8.GetByteCount(a)).Append(':').Append(a).Append('|');
                sb.Append('\n');
                byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(sb.ToString());
                using (var o = Console.OpenStandardOutput()) o.Write(bytes, 0, bytes.Length);
                break;
            case "crash":
                int[] v = new int[0];
                Console.WriteLine(v[t[0].Length]);
                break;
            case "alloc":
                var keep = new List<long[]>();
                for (;;)
                {
                    var b = new long[1 << 17];
                    for (int i = 0; i < b.Length; i += 512) b[i] = i + 1;
                    keep.Add(b);
                }
        }
    }
}
