/* Prints its mount table on stderr: it must name no host path (box dir,
 * helper binary, worker dirs). */
#include <stdio.h>
int main(void) {
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f) { puts("no mountinfo"); return 0; }
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stderr);
	puts("ok");
	return 0;
}
