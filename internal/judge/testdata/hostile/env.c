/* Prints its whole environment to stderr; "ok" to stdout. */
#include <stdio.h>
extern char **environ;
int main(void) {
	for (char **e = environ; *e; e++) fprintf(stderr, "%s\n", *e);
	puts("ok");
	return 0;
}
