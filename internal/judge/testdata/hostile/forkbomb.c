/* Fork bomb: every process forks forever. The pids limit must hold it, the
   run must end (TLE) and nothing may be left running afterwards. */
#include <unistd.h>
int main(void) {
	for (;;) fork();
}
