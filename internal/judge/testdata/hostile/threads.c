/* 10^5 threads that all sleep: the pids limit must stop it. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *nap(void *arg) {
	(void)arg;
	sleep(1000);
	return NULL;
}
int main(void) {
	for (int i = 0; i < 100000; i++) {
		pthread_t t;
		pthread_attr_t a;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 65536);
		if (pthread_create(&t, &a, nap, NULL) != 0) {
			fprintf(stderr, "thread %d refused\n", i);
			return 1;
		}
	}
	return 0;
}
