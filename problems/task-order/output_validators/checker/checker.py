#!/usr/bin/env python3
"""Checker (Kattis protocol): checker.py input answer feedback_dir < team_output.
Accepts IMPOSSIBLE exactly when the reference answer is IMPOSSIBLE, and otherwise any
permutation of 1..n that respects every dependency. Exit 42 = accepted, 43 = wrong answer."""
import os
import sys


def verdict(ok, msg):
    with open(os.path.join(sys.argv[3], "judgemessage.txt"), "a") as f:
        f.write(msg + "\n")
    sys.exit(42 if ok else 43)


def main():
    with open(sys.argv[1]) as f:
        data = f.read().split()
    n, m = int(data[0]), int(data[1])
    with open(sys.argv[2]) as f:
        possible = f.read().split()[:1] != ["IMPOSSIBLE"]
    team = sys.stdin.buffer.read().split()
    if not possible:
        if team == [b"IMPOSSIBLE"]:
            verdict(True, "correctly reported a cycle")
        verdict(False, "expected IMPOSSIBLE: the dependencies contain a cycle")
    if team == [b"IMPOSSIBLE"]:
        verdict(False, "an order exists but IMPOSSIBLE was printed")
    if len(team) != n:
        verdict(False, f"expected {n} tasks, got {len(team)} tokens")
    pos = [0] * (n + 1)
    for i, tok in enumerate(team):
        if not tok.isdigit() or len(tok) > 7:
            verdict(False, f"token {i + 1} is not a task number")
        t = int(tok)
        if not 1 <= t <= n or pos[t]:
            verdict(False, f"task {t} is out of range or repeated")
        pos[t] = i + 1
    for j in range(m):
        a, b = int(data[2 + 2 * j]), int(data[3 + 2 * j])
        if pos[a] > pos[b]:
            verdict(False, f"task {a} must run before task {b}")
    verdict(True, "valid order")


main()
