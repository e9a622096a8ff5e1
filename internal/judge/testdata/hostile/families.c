/* Opens a socket of each address family given on stdin: only unix, inet
 * and inet6 may exist (vsock reaches a VM's hypervisor side, netlink and
 * packet the kernel's and the host's network state). */
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int fam;
	int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET};
	while (scanf("%d", &fam) == 1) {
		int ok = 0;
		for (int i = 0; i < 4 && !ok; i++) {
			int fd = socket(fam, types[i], 0);
			if (fd >= 0) { ok = 1; close(fd); }
		}
		printf("%d %s\n", fam, ok ? "allowed" : "denied");
	}
	return 0;
}
