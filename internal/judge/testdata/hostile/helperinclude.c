/* The helper binary: the compiler may not read it. */
#include "/.sandbox/helper"
int main(void) { return 0; }
