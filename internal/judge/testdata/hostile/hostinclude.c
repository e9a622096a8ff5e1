/* A compile error that would quote a host file outside the toolchain. */
#include "{local_canary}"
int main(void) { return 0; }
