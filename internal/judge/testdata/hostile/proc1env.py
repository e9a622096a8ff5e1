# Prints what it can read of pid 1's environment (the sandbox helper) to
# stderr: nothing of the worker's environment may be there.
import sys
try:
    with open("/proc/1/environ", "rb") as f:
        sys.stderr.write(f.read().replace(b"\0", b"\n").decode("utf-8", "replace"))
except OSError as e:
    sys.stderr.write("denied: %s\n" % e)
print("ok")
