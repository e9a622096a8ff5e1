import threading
import time
for i in range(100000):
    threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
