/* Plants links in the work dir to host paths given on stdin (a file and a
   directory): the host side must never follow them, not even at cleanup. */
#include <stdio.h>
#include <unistd.h>
int main(void) {
	char file[4096], dir[4096];
	if (scanf("%4095s %4095s", file, dir) != 2) return 1;
	symlink(file, "evil-file");
	symlink(dir, "evil-dir");
	unlink("main.c"); /* the name the host wrote the source as */
	symlink(file, "main.c");
	link(file, "hard-link"); /* fails: other file system */
	unlink("main");
	symlink(file, "main");
	symlink(file, "/tmp/evil-file");
	puts("ok");
	return 0;
}
