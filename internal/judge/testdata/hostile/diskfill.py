# Fill the work dir, then /tmp, then /dev/shm: must fail inside the box
# (file size limit or a full tmpfs), never touch the host's disk.
import sys

chunk = b"D" * (1 << 20)
for path in ("fill.bin", "/tmp/fill.bin", "/dev/shm/fill.bin"):
    try:
        with open(path, "wb") as f:
            for _ in range(100000):  # 100 GiB: no limit at all
                f.write(chunk)
    except OSError as e:
        print(path, e.strerror, file=sys.stderr)
sys.exit(2)  # every write ended in an error
