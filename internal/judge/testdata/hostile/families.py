# Opens a socket of each address family given on stdin (see families.c).
import socket
import sys

for fam in map(int, sys.stdin.read().split()):
    ok = False
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_RAW, socket.SOCK_SEQPACKET):
        try:
            socket.socket(fam, kind).close()
            ok = True
            break
        except OSError:
            pass
    print(fam, "allowed" if ok else "denied")
