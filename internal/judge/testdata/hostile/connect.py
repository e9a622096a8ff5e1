import socket
import sys
for port in sys.stdin.read().split():
    try:
        socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
        print(port, "connected")
    except OSError:
        print(port, "failed")
