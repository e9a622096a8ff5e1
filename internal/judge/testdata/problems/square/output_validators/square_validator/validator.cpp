// Accepts an answer within `tolerance T` (a validator flag) of the judge's.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include "message.h"

int main(int argc, char **argv) {
	if (argc < 4) return 1;
	long long tol = 0;
	for (int i = 4; i + 1 < argc; i++)
		if (std::strcmp(argv[i], "tolerance") == 0) tol = std::atoll(argv[i + 1]);
	std::ifstream ans(argv[2]);
	long long want;
	ans >> want;
	long long got;
	if (!(std::cin >> got)) return reject(argv[3], "no number in the output");
	std::string extra;
	if (std::cin >> extra) return reject(argv[3], "trailing output");
	if (got < want - tol || got > want + tol)
		return reject(argv[3], "off by " + std::to_string(got - want));
	return 42;
}
