import sys

data = sys.stdin.read().split()
mode = data[0]
if mode == "hello":
    print("Hello, World!")
elif mode == "sum":
    print(int(data[1]) + int(data[2]))
elif mode == "loop":
    x = 2
    while x != 0:
        x = x * x % 1000003
    print(x)
elif mode == "args":
    print("".join("%d:%s|" % (len(a.encode()), a) for a in sys.argv[1:]))
elif mode == "crash":
    raise RuntimeError("crash on purpose")
elif mode == "alloc":
    keep = []
    while True:
        keep.append(b"x" * (1 << 20))
