# Copies the interpreter to /tmp, makes the copy setuid and runs it: nosuid
# and no_new_privs must keep the effective uid unchanged.
import os
import shutil
import subprocess
import sys

shutil.copy(sys.executable, "/tmp/suid")
os.chmod("/tmp/suid", 0o4755)
try:
    euid = subprocess.run(["/tmp/suid", "-S", "-c", "import os; print(os.geteuid())"],
                          capture_output=True, text=True).stdout.strip()
    print("no-effect" if euid == str(os.getuid()) else "escalated")
except OSError:
    print("no-effect")  # exec refused: no effect either
