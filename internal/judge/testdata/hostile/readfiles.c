/* Reads each path given on stdin and reports whether it could. */
#include <stdio.h>
#include <string.h>
int main(void) {
	char path[4096];
	while (scanf("%4095s", path) == 1) {
		FILE *f = fopen(path, "r");
		char buf[256];
		if (f && fread(buf, 1, sizeof buf, f) > 0) printf("%s read\n", path);
		else printf("%s denied\n", path);
		if (f) fclose(f);
	}
	return 0;
}
