/* Two workers that the program never waits for burn 0.8 s of CPU each
 * (1.6 s in all, over the 1 s limit); the program itself uses almost none
 * and ends once they are done (zombies it never reaps). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>
static void burn(long ms) {
	struct timespec t;
	do clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
}
int main(void) {
	int p[2];
	if (pipe(p)) return 2;
	for (int i = 0; i < 2; i++)
		if (fork() == 0) { close(p[0]); burn(800); _exit(0); }
	close(p[1]);
	char c;
	while (read(p[0], &c, 1) > 0) ; /* EOF: both workers are done */
	printf("3\n");
	return 0;
}
