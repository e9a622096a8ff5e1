#!/usr/bin/env python3
"""Regenerate the test data of bundled problems.

usage: build.py [--prune] PROBLEM_DIR...

For each problem, generators/tests.txt lists generated secret tests, one per line:
    <name> <n> <seed> [extra generator args...]
which become data/secret/<name>.in via `generators/gen <n> <seed> [extra...]`.
A line "ref: <path under submissions/>" names the reference solution (default: the
first .cpp in submissions/accepted). Lines "keep: <name> <name> ..." list the
hand-written secret tests, which are kept as they are (like data/sample/*.in).
Secret inputs listed nowhere are stale: build.py warns about them, and deletes them
(with their .ans) when given --prune. Every .ans is then
(re)computed by running the reference solution; for interactive problems the .ans
is a copy of the .in (the interactor's secret), since there is no single output.
Compiled binaries go to /tmp/sfa-build, never into the package.
"""
import os
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import compile_submission  # noqa: E402


def build(pdir: Path, prune: bool) -> None:
    meta = yaml.safe_load((pdir / "problem.yaml").read_text())
    interactive = "interactive" in str(meta.get("validation", ""))
    tests = pdir / "generators" / "tests.txt"
    ref = None
    listed = set()
    secret = pdir / "data" / "secret"
    secret.mkdir(parents=True, exist_ok=True)
    gen = pdir / "generators" / "gen"
    if tests.exists():
        for raw in tests.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("ref:"):
                ref = pdir / "submissions" / line[4:].strip()
                continue
            if line.startswith("keep:"):
                listed.update(line[5:].split())
                continue
            name, *args = line.split()
            listed.add(name)
            out = subprocess.run([str(gen), *args], check=True, capture_output=True).stdout
            (secret / f"{name}.in").write_bytes(out)
    for stale in sorted(f for f in secret.glob("*.in") if f.stem not in listed) if tests.exists() else []:
        if prune:
            stale.unlink()
            stale.with_suffix(".ans").unlink(missing_ok=True)
            print(f"{pdir.name}: removed stale {stale.name}")
        else:
            print(f"{pdir.name}: warning: {stale.name} is not listed in generators/tests.txt (use --prune)")
    if ref is None:
        cpps = sorted((pdir / "submissions" / "accepted").glob("*.cpp"))
        ref = cpps[0]
    cmd = compile_submission(ref, Path("/tmp/sfa-build") / pdir.name / "ref")
    for inp in sorted((pdir / "data").rglob("*.in")):
        ans = inp.with_suffix(".ans")
        if interactive:
            ans.write_bytes(inp.read_bytes())
            continue
        with open(inp, "rb") as f:
            res = subprocess.run(cmd, stdin=f, capture_output=True, timeout=120)
        if res.returncode != 0:
            sys.exit(f"{pdir.name}: reference failed on {inp}: {res.stderr.decode()[:500]}")
        ans.write_bytes(res.stdout)
    n = len(list(secret.glob("*.in")))
    size = sum(f.stat().st_size for f in (pdir / "data").rglob("*") if f.is_file())
    print(f"{pdir.name}: {n} secret tests, data {size / 1e6:.2f} MB, ref {ref.name}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--prune"]
    if not args:
        sys.exit(__doc__)
    for arg in args:
        build(Path(arg).resolve(), "--prune" in sys.argv)
