# Plants links to host paths given on stdin (a file and a directory) where it
# can (/tmp; the work dir is read-only for programs): the host side must
# never follow them, not even at cleanup.
import os

file, dirpath = input().split()
for target, name in ((file, "evil-file"), (dirpath, "evil-dir"), (file, "main.py"), (file, "/tmp/evil-file"), (dirpath, "/tmp/evil-dir")):
    try:
        if os.path.lexists(name) and not name.startswith("/tmp"):
            os.unlink(name)
        os.symlink(target, name)
    except OSError:
        pass
print("ok")
