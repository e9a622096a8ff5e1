/* Tries TCP connections to each port on 127.0.0.1 given on stdin. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int port;
	while (scanf("%d", &port) == 1) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {0};
		a.sin_family = AF_INET;
		a.sin_port = htons(port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
		printf("%d %s\n", port, ok ? "connected" : "failed");
		if (s >= 0) close(s);
	}
	return 0;
}
