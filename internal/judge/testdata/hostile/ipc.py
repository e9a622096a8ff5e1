# ipc.c through ctypes: what a test leaves in System V IPC must not reach
# the next one.
import ctypes
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
IPC_CREAT, KEY = 0o1000, 0x5EEE
data = sys.stdin.read().split()[0].encode()
leak = False
shm = libc.shmget(KEY, 4096, 0o600)
if shm >= 0:
    print("shm leak:", ctypes.string_at(libc.shmat(shm, None, 0)).decode())
    leak = True
if libc.msgget(KEY, 0o600) >= 0:
    print("queue leak")
    leak = True
shm = libc.shmget(KEY, 4096, IPC_CREAT | 0o600)
ctypes.memmove(libc.shmat(shm, None, 0), data + b"\0", len(data) + 1)
libc.msgget(KEY, IPC_CREAT | 0o600)
if not leak:
    print("clean")
