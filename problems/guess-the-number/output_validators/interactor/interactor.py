#!/usr/bin/env python3
"""Interactor (Kattis protocol): interactor.py input answer feedback_dir.
Our stdout goes to the submission's stdin and the submission's stdout is our stdin.
Exit 42 when the submission names the hidden number within 30 questions, 43 otherwise."""
import os
import sys

MAX_QUESTIONS = 30


def verdict(ok, msg):
    with open(os.path.join(sys.argv[3], "judgemessage.txt"), "a") as f:
        f.write(msg + "\n")
    sys.exit(42 if ok else 43)


def main():
    with open(sys.argv[1]) as f:
        n, x = map(int, f.read().split())
    print(n, flush=True)
    questions = 0
    while True:
        line = sys.stdin.readline()
        if not line:
            verdict(False, "submission ended without an answer")
        parts = line.split()
        if len(parts) != 2 or parts[0] not in ("?", "!"):
            verdict(False, f"malformed line {line.strip()[:50]!r}")
        try:
            y = int(parts[1])
        except ValueError:
            verdict(False, f"not an integer: {parts[1][:50]!r}")
        if parts[0] == "!":
            if y != x:
                verdict(False, f"answered {y}, hidden number was {x}")
            if sys.stdin.read().strip():
                verdict(False, "output after the answer")
            verdict(True, f"found {x} with {questions} questions")
        questions += 1
        if questions > MAX_QUESTIONS:
            verdict(False, f"more than {MAX_QUESTIONS} questions")
        if not 1 <= y <= n:
            verdict(False, f"question {y} outside [1, {n}]")
        try:
            print("<" if x < y else ">" if x > y else "=", flush=True)
        except BrokenPipeError:
            verdict(False, "submission closed its input")


main()
