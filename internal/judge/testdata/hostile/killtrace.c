/* Tries to kill and trace everything else in the container, then proves it
   is still alive and the helper still reports it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
int main(void) {
	int k1 = kill(1, SIGKILL);
	int t1 = ptrace(PTRACE_ATTACH, 1, 0, 0);
	int ts = ptrace(PTRACE_TRACEME, 0, 0, 0);
	kill(-1, SIGKILL); /* everything we may signal but ourselves */
	printf("kill-init %s\n", k1 == 0 ? "allowed" : "denied");
	printf("trace-init %s\n", t1 == 0 ? "allowed" : "denied");
	printf("traceme %s\n", ts == 0 ? "allowed" : "denied");
	return 0;
}
