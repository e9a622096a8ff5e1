# Test 1 leaves a daemon behind; test 2 (same box) looks for any process of
# its uid besides itself: there must be none.
import os
import time

if int(input()) == 1:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                time.sleep(1)
        os._exit(0)
    print("spawned")
else:
    me = os.getpid()
    others = 0
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != me:
            try:
                if os.stat("/proc/" + name).st_uid == os.getuid():
                    others += 1
            except OSError:
                pass
    print("alone" if others == 0 else "leftovers")
