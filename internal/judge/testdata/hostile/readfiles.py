import sys
for path in sys.stdin.read().split():
    try:
        with open(path, "rb") as f:
            ok = len(f.read(256)) > 0
    except OSError:
        ok = False
    print(path, "read" if ok else "denied")
