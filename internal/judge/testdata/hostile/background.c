/* Test 1 leaves a daemon behind; test 2 (same box) looks for any process
   of its uid besides itself: there must be none. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
	int n;
	if (scanf("%d", &n) != 1) return 1;
	if (n == 1) {
		if (fork() == 0) {
			setsid();
			if (fork() == 0) {
				for (;;) sleep(1);
			}
			_exit(0);
		}
		puts("spawned");
		return 0;
	}
	int others = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid()) continue;
		char p[64];
		struct stat st;
		snprintf(p, sizeof p, "/proc/%d", pid);
		if (stat(p, &st) == 0 && st.st_uid == getuid()) others++;
	}
	printf("%s\n", others == 0 ? "alone" : "leftovers");
	return 0;
}
