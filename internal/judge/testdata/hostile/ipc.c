/* Leaves this test's input in System V shared memory, a message queue and
 * a semaphore, and reports what an earlier test left there: every test
 * must start with none of it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
int main(void) {
	char in[64] = "";
	if (scanf("%63s", in) != 1) return 1;
	int leaks = 0;
	/* Without IPC_CREAT first: any object found is a leftover. */
	int shm = shmget(0x5eed, 4096, 0600);
	if (shm >= 0) { char *p = shmat(shm, 0, 0); printf("shm leak: %s\n", p == (void *)-1 ? "?" : p); leaks++; }
	int q = msgget(0x5eed, 0600);
	if (q >= 0) { printf("queue leak\n"); leaks++; }
	int sem = semget(0x5eed, 1, 0600);
	if (sem >= 0) { printf("semaphore leak\n"); leaks++; }
	/* Anonymous segments (IPC_PRIVATE) are found by index. */
	for (int i = 0; i < 256; i++) {
		struct shmid_ds ds;
		if (shmctl(i, SHM_STAT, &ds) >= 0) { printf("segment %d left\n", i); leaks++; }
	}
	shm = shmget(0x5eed, 4096, IPC_CREAT | 0600);
	char *p = shmat(shm, 0, 0);
	if (p != (void *)-1) strcpy(p, in); /* stays attached to nobody after exit */
	int priv = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0666);
	(void)priv; /* never attached, never removed */
	q = msgget(0x5eed, IPC_CREAT | 0600);
	struct { long type; char text[64]; } m = {1, ""};
	strcpy(m.text, in);
	msgsnd(q, &m, sizeof m.text, 0);
	sem = semget(0x5eed, 1, IPC_CREAT | 0600);
	struct sembuf up = {0, 1, 0};
	semop(sem, &up, 1);
	if (!leaks) printf("clean\n");
	return 0;
}
