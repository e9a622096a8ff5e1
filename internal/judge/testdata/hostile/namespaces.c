/* Asks for a new user namespace (and with it raw sockets) by clone,
 * clone3 and unshare: all must fail. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static void report(const char *what, long pid) {
	if (pid == 0) _exit(0);
	if (pid > 0) waitpid(pid, 0, 0);
	printf("%s %s\n", what, pid > 0 ? "allowed" : "denied");
}
int main(void) {
	report("clone", syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, 0L, 0L, 0L));
	unsigned long long args[11] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD};
	report("clone3", syscall(435 /* clone3 */, args, sizeof args));
	printf("unshare %s\n", unshare(CLONE_NEWUSER) == 0 ? "allowed" : "denied");
	return 0;
}
