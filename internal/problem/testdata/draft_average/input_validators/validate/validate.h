// A tiny shared helper, as validator packages often carry (testlib.h style).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cstring>

[[noreturn]] static void fail(const char *msg) {
    std::fprintf(stderr, "%s\n", msg);
    std::exit(43);
}

// readInt reads an optional '-' and digits, then exactly the separator sep.
static long long readInt(char sep) {
    int c = std::getchar();
    bool neg = false;
    if (c == '-') { neg = true; c = std::getchar(); }
    if (c < '0' || c > '9') fail("want a digit");
    long long v = 0;
    int digits = 0;
    while (c >= '0' && c <= '9') {
        if (++digits > 10) fail("number too long");
        v = v * 10 + (c - '0');
        c = std::getchar();
    }
    if (c != sep) fail("bad separator");
    return neg ? -v : v;
}
