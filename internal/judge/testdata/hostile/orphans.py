# orphans.c in Python: two forked workers burn 0.8 s of CPU each and are
# never waited for; the program ends once they are done.
import os
import time

r, w = os.pipe()
for _ in range(2):
    if os.fork() == 0:
        os.close(r)
        end = time.process_time() + 0.8
        while time.process_time() < end:
            pass
        os._exit(0)
os.close(w)
while os.read(r, 1):
    pass
print(3)
