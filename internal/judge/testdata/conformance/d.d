import std.stdio;
import std.array : split, join;
import std.conv : to;
import std.exception : enforce;

void main(string[] args)
{
    auto t = stdin.byLineCopy.join(" ").split;
    switch (t[0])
    {
    case "hello":
        writeln("Hello, World!");
        break;
    case "sum":
        writeln(t[1].to!long + t[2].to!long);
        break;
    case "loop":
        long x = 2;
        while (x != 0) x = x * x % 1000003;
        writeln(x);
        break;
    case "args":
        foreach (a; args[1 .. $]) write(a.length, ":", a, "|");
        writeln();
        break;
    case "crash":
        enforce(false, "crash on purpose");
        break;
    case "alloc":
        char[][] keep;
        for (;;)
        {
            auto b = new char[1 << 20];
            b[] = 'x';
            keep ~= b;
        }
    default:
        break;
    }
}
