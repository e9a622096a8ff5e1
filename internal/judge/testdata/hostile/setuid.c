/* Copies itself to /tmp, makes the copy setuid and runs it: nosuid and
   no_new_privs must keep the effective uid unchanged. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
	if (argc > 1) {
		printf("%s\n", geteuid() == getuid() ? "no-effect" : "escalated");
		return 0;
	}
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open("/tmp/suid", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	char buf[65536];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
	close(in);
	close(out);
	chmod("/tmp/suid", 04755);
	fflush(stdout);
	execl("/tmp/suid", "suid", "child", (char *)0);
	puts("no-effect"); /* exec refused (noexec /tmp): no effect either */
	return 0;
}
