#include <cstdio>
int main() { this is not C++; }
