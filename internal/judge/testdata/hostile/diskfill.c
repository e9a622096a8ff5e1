/* Fill the work dir, then /tmp, then /dev/shm: must fail inside the box
   (file size limit or a full tmpfs), never touch the host's disk. */
#include <stdio.h>
#include <string.h>
static int fill(const char *path) {
	static char buf[1 << 20];
	memset(buf, 'D', sizeof buf);
	FILE *f = fopen(path, "w");
	if (!f) return 0;
	long n = 0;
	while (fwrite(buf, 1, sizeof buf, f) == sizeof buf) {
		if (++n > 100000) break; /* 100 GiB: no limit at all */
	}
	fclose(f);
	return 1;
}
int main(void) {
	fill("fill.bin");
	fill("/tmp/fill.bin");
	fill("/dev/shm/fill.bin");
	return 2; /* every write ended in an error */
}
