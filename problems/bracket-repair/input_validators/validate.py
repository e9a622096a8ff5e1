#!/usr/bin/env python3
# Input validator (Kattis protocol): exit 42 if stdin is a valid input, 43 otherwise.
# The format is strict: single spaces between tokens, one newline at the end of every line,
# no leading zeros, no extra lines.
import re
import sys

_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")


def fail(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(43)


def check(cond, msg):
    if not cond:
        fail(msg)


_raw = sys.stdin.buffer.read()
try:
    _text = _raw.decode("ascii")
except UnicodeDecodeError:
    fail("input is not ASCII")
check(_text.endswith("\n"), "input must end with a newline")
check("\r" not in _text, "carriage return in input")
_LINES = _text[:-1].split("\n")
_pos = 0


def line():
    global _pos
    check(_pos < len(_LINES), "unexpected end of input")
    s = _LINES[_pos]
    _pos += 1
    return s


def toks(k=None):
    parts = line().split(" ")
    check(all(parts), f"line {_pos}: bad spacing")
    if k is not None:
        check(len(parts) == k, f"line {_pos}: expected {k} tokens, got {len(parts)}")
    return parts


def to_int(t, lo, hi):
    check(_INT.match(t) is not None and t != "-0", f"line {_pos}: bad integer {t!r}")
    v = int(t)
    check(lo <= v <= hi, f"line {_pos}: {v} not in [{lo}, {hi}]")
    return v


def ints(k, lo, hi):
    return [to_int(t, lo, hi) for t in toks(k)]


def one(lo, hi):
    return ints(1, lo, hi)[0]


def word(alphabet_re, min_len, max_len):
    s = line()
    check(min_len <= len(s) <= max_len, f"line {_pos}: length {len(s)} not in [{min_len}, {max_len}]")
    check(re.fullmatch(alphabet_re, s) is not None, f"line {_pos}: bad characters")
    return s


def end():
    check(_pos == len(_LINES), "extra data after the input")
    sys.exit(42)

# --- problem-specific checks ---
word(r"[()]+", 1, 200000)

end()
