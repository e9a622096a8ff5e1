#!/usr/bin/env python3
"""Verify bundled problem packages the way the judge will, with safety margins.

usage: check.py [-j] PROBLEM_DIR...

For each problem it checks the package layout and metadata, that the generator is
deterministic and valid, that the input validator accepts every test input and
rejects malformed variants, and it judges every submission on every test in judge
order (samples, then secret tests by name):
  accepted            must pass every test within time_limit / 2 (Python included);
  wrong_answer        must end with Wrong Answer (first failing test is a WA);
  time_limit_exceeded must end with Time Limit Exceeded and be killed at 3 x time_limit
                      on at least one test (robust against a noisy CI machine).
Every submission must stay within the memory limit (peak RSS), so that the judge's
verdict is the one its folder promises and not a memory error.
Compiled binaries go to /tmp/sfa-build. Exit status is non-zero on any failure.
"""
import math
import resource
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import compile_submission  # noqa: E402

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class Problem:
    def __init__(self, pdir: Path):
        self.dir = pdir
        self.errors: list[str] = []
        self.meta = yaml.safe_load((pdir / "problem.yaml").read_text())
        self.arena = yaml.safe_load((pdir / "arena.yaml").read_text())
        val = str(self.meta.get("validation", "default"))
        self.interactive = "interactive" in val
        self.custom = val.startswith("custom") and not self.interactive
        self.tl = float(self.meta["limits"]["time_limit"])
        self.mem = int(self.meta["limits"].get("memory", 2048))
        flags = str(self.meta.get("validator_flags", ""))
        m = re.search(r"float_tolerance\s+(\S+)", flags)
        self.ftol = float(m.group(1)) if m else None
        self.tests = sorted((pdir / "data" / "sample").glob("*.in")) + sorted((pdir / "data" / "secret").glob("*.in"))

    def err(self, msg: str) -> None:
        self.errors.append(msg)
        print(f"  FAIL {msg}", flush=True)


def check_layout(p: Problem) -> None:
    d = p.dir
    if not NAME_RE.match(d.name):
        p.err(f"bad short name {d.name}")
    for key in ("name", "uuid", "source", "license", "author", "limits"):
        if key not in p.meta:
            p.err(f"problem.yaml: missing {key}")
    if not UUID_RE.match(str(p.meta.get("uuid", ""))):
        p.err("problem.yaml: uuid is not a v4 uuid")
    if p.meta.get("source") != "SegFault Arena":
        p.err("problem.yaml: source")
    diff = p.arena.get("difficulty")
    if not isinstance(diff, int) or not 800 <= diff <= 3000:
        p.err("arena.yaml: difficulty")
    if not p.arena.get("tags") or not p.arena.get("complexity", {}).get("time") or not p.arena["complexity"].get("space"):
        p.err("arena.yaml: tags/complexity")
    st = d / "problem_statement" / "problem.en.md"
    if not st.exists():
        p.err("missing statement")
    else:
        text = st.read_text()
        for sec in ("## Input", "## Output", "## Constraints"):
            if sec not in text:
                p.err(f"statement lacks {sec}")
    samples = list((d / "data" / "sample").glob("*.in"))
    secrets = list((d / "data" / "secret").glob("*.in"))
    if len(samples) < 2:
        p.err("fewer than 2 samples")
    if len(secrets) < 15:
        p.err(f"only {len(secrets)} secret tests")
    for t in p.tests:
        if not t.with_suffix(".ans").exists():
            p.err(f"missing .ans for {t.name}")
    subs = d / "submissions"
    acc = {f.suffix for f in (subs / "accepted").glob("*")}
    if not {".py", ".cpp"} <= acc or not acc & {".c", ".go"}:
        p.err(f"accepted languages {sorted(acc)}")
    if not list((subs / "wrong_answer").glob("*")):
        p.err("no wrong_answer submission")
    if not (d / "input_validators" / "validate.py").exists():
        p.err("no input validator")
    if p.custom and not (d / "output_validators" / "checker" / "checker.py").exists():
        p.err("custom validation without checker")
    if p.interactive and not (d / "output_validators" / "interactor" / "interactor.py").exists():
        p.err("interactive without interactor")
    gen = d / "generators" / "gen"
    if not gen.exists() or not os.access(gen, os.X_OK):
        p.err("generators/gen missing or not executable")
    size = sum(f.stat().st_size for f in d.rglob("*") if f.is_file())
    if size > 4_000_000:
        p.err(f"package is {size / 1e6:.1f} MB")


def validate(p: Problem, data: bytes) -> tuple[int, str]:
    r = subprocess.run(["python3", str(p.dir / "input_validators" / "validate.py")], input=data,
                       capture_output=True, timeout=60)
    return r.returncode, r.stderr.decode(errors="replace").strip()


def check_validator(p: Problem) -> None:
    for t in p.tests:
        rc, msg = validate(p, t.read_bytes())
        if rc != 42:
            p.err(f"validator rejects {t.name}: rc={rc} {msg}")
    base = p.tests[0].read_bytes()
    lines = base.split(b"\n")
    bad = {
        "empty": b"",
        "no final newline": base.rstrip(b"\n"),
        "trailing line": base + b"1\n",
        "trailing space": lines[0] + b" \n" + b"\n".join(lines[1:]),
        "leading space": b" " + base,
        "bad character": b"#" + base[1:],
        "CRLF": base.replace(b"\n", b"\r\n"),
    }
    invalid_dir = p.dir / "generators" / "invalid"
    for f in sorted(invalid_dir.glob("*.in")) if invalid_dir.exists() else []:
        bad[f.name] = f.read_bytes()
    for name, data in bad.items():
        if data == base:
            continue
        rc, _ = validate(p, data)
        if rc != 43:
            p.err(f"validator accepts malformed input ({name}), rc={rc}")


def coach_sizes(p: Problem) -> list:
    """The named sizes arena.yaml's coach section says the generator takes."""
    return [str(s) for s in ((p.arena or {}).get("coach") or {}).get("sizes") or []]


def check_generator(p: Problem) -> None:
    gen = str(p.dir / "generators" / "gen")
    args = [str(n) for n in (1, 10, 1000)]
    # named sizes (the complexity coach's form), each size small and large
    names = coach_sizes(p)
    for lo, hi in ((1, 1), (8, 2000), (2000, 8)):
        if names:
            args.append(",".join(f"{k}={lo if i % 2 == 0 else hi}" for i, k in enumerate(names)))
    for arg, seed in zip(args, (1, 7, 3, 5, 11, 13)):
        a = subprocess.run([gen, arg, str(seed)], capture_output=True, timeout=60)
        b = subprocess.run([gen, arg, str(seed)], capture_output=True, timeout=60)
        if a.returncode != 0 or a.stdout != b.stdout:
            p.err(f"generator fails or is not deterministic for {arg} seed={seed}")
            continue
        rc, msg = validate(p, a.stdout)
        if rc != 42:
            p.err(f"generator output {arg} seed={seed} invalid: {msg}")


def tokens_equal(out: bytes, ans: bytes, ftol) -> bool:
    a, b = out.split(), ans.split()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        if ftol is None:
            return False
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if not (math.isfinite(fx) and abs(fx - fy) <= ftol * max(1.0, abs(fy))):
            return False
    return True


def run_limited(cmd, stdin, stdout, limit: float):
    """Run cmd with a CPU-time limit; return (rc, seconds, timed_out, maxrss_kib).

    Time is CPU time (user + system), as judges measure it, so that a loaded machine does not
    turn an accepted run into a time-out; a wall-clock guard of 3 x limit + 5 s catches
    submissions that block instead of computing."""
    def limit_cpu():
        cap = math.ceil(limit) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cap, cap + 1))

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=limit_cpu)
    wall_timeout = False
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > 3 * limit + 5:
            wall_timeout = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    cpu = ru.ru_utime + ru.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    timed_out = wall_timeout or cpu > limit
    return proc.returncode, cpu, timed_out, ru.ru_maxrss


def judge_one(p: Problem, cmd, test: Path, limit: float):
    """Return (verdict, seconds, maxrss_kib) for one test; verdicts AC WA TLE RTE."""
    ans = test.with_suffix(".ans")
    with tempfile.TemporaryDirectory() as fb:
        if p.interactive:
            s2i_r, s2i_w = os.pipe()
            i2s_r, i2s_w = os.pipe()
            inter = subprocess.Popen(["python3", str(p.dir / "output_validators/interactor/interactor.py"),
                                      str(test), str(ans), fb], stdin=s2i_r, stdout=i2s_w, stderr=subprocess.DEVNULL)
            os.close(s2i_r)
            os.close(i2s_w)
            try:
                rc, wall, to, rss = run_limited(cmd, i2s_r, s2i_w, limit)
            finally:
                os.close(i2s_r)
                os.close(s2i_w)
            irc = inter.wait(timeout=30)
            if to:
                return "TLE", wall, rss
            if irc == 43:
                return "WA", wall, rss
            if rc != 0:
                return "RTE", wall, rss
            return ("AC" if irc == 42 else "JE"), wall, rss
        out_path = Path(fb) / "team.out"
        with open(test, "rb") as fin, open(out_path, "wb") as fout:
            rc, wall, to, rss = run_limited(cmd, fin, fout, limit)
        if to:
            return "TLE", wall, rss
        if rc != 0:
            return "RTE", wall, rss
        if p.custom:
            with open(out_path, "rb") as fo:
                r = subprocess.run(["python3", str(p.dir / "output_validators/checker/checker.py"),
                                    str(test), str(ans), fb], stdin=fo, capture_output=True, timeout=120)
            if r.returncode not in (42, 43):
                return "JE", wall, rss
            return ("AC" if r.returncode == 42 else "WA"), wall, rss
        ok = tokens_equal(out_path.read_bytes(), ans.read_bytes(), p.ftol)
        return ("AC" if ok else "WA"), wall, rss


def check_submissions(p: Problem, only_accepted: bool) -> list[str]:
    rows = []
    build = Path("/tmp/sfa-build") / p.dir.name
    for folder in ("accepted", "wrong_answer", "time_limit_exceeded"):
        if only_accepted and folder != "accepted":
            continue
        for src in sorted((p.dir / "submissions" / folder).glob("*")):
            try:
                cmd = compile_submission(src, build)
            except Exception as e:  # noqa: BLE001 - report any compile problem
                p.err(f"{folder}/{src.name}: {e}")
                continue
            if folder == "accepted":
                worst, worst_t, rss_max = "AC", 0.0, 0
                for t in p.tests:
                    v, s, rss = judge_one(p, cmd, t, p.tl)
                    rss_max = max(rss_max, rss)
                    if s > worst_t:
                        worst_t = s
                    if v != "AC":
                        worst = v
                        p.err(f"accepted/{src.name}: {v} on {t.name} ({s:.2f}s)")
                        break
                    if s > p.tl / 2:
                        p.err(f"accepted/{src.name}: {s:.2f}s on {t.name} exceeds time_limit/2 = {p.tl / 2}")
                if rss_max > p.mem * 1024:
                    p.err(f"accepted/{src.name}: uses {rss_max // 1024} MiB > {p.mem} MiB")
                rows.append(f"{folder}/{src.name}: {worst} max {worst_t:.2f}s {rss_max // 1024}MiB")
            elif folder == "wrong_answer":
                got, rss_max = "AC", 0
                for t in p.tests:
                    v, s, rss = judge_one(p, cmd, t, p.tl)
                    rss_max = max(rss_max, rss)
                    if v != "AC":
                        got = f"{v} on {t.name}"
                        break
                if not got.startswith("WA"):
                    p.err(f"wrong_answer/{src.name}: got {got}")
                if rss_max > p.mem * 1024:
                    p.err(f"wrong_answer/{src.name}: uses {rss_max // 1024} MiB > {p.mem} MiB (the judge would not say WA)")
                rows.append(f"{folder}/{src.name}: {got}")
            else:
                got, first, rss_max = "AC", None, 0
                for t in p.tests:
                    v, s, rss = judge_one(p, cmd, t, p.tl)
                    rss_max = max(rss_max, rss)
                    if v != "AC":
                        got, first = v, t
                        break
                margin = False
                if got == "TLE":
                    # Biggest inputs first: one test must still be running at 3 x time_limit.
                    rest = sorted(p.tests[p.tests.index(first):], key=lambda f: -f.stat().st_size)
                    for t in [first] + rest[:3]:
                        v, s, rss = judge_one(p, cmd, t, 3 * p.tl)
                        rss_max = max(rss_max, rss)
                        if v == "TLE":
                            margin = True
                            break
                if rss_max > p.mem * 1024:
                    p.err(f"time_limit_exceeded/{src.name}: uses {rss_max // 1024} MiB > {p.mem} MiB (the judge would say MLE/RTE)")
                if got != "TLE" or not margin:
                    p.err(f"time_limit_exceeded/{src.name}: got {got}, killed at 3x TL: {margin}")
                rows.append(f"{folder}/{src.name}: {got} on {first.name if first else '-'} (>3x TL: {margin})")
    return rows


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    only_acc = "--accepted-only" in sys.argv
    if not args:
        print(__doc__)
        return 2
    failed = []
    for a in args:
        pdir = Path(a).resolve()
        print(f"== {pdir.name}", flush=True)
        try:
            p = Problem(pdir)
        except Exception as e:  # noqa: BLE001
            print(f"  FAIL cannot load: {e}")
            failed.append(pdir.name)
            continue
        check_layout(p)
        check_generator(p)
        check_validator(p)
        for row in check_submissions(p, only_acc):
            print("  " + row, flush=True)
        status = "OK" if not p.errors else f"{len(p.errors)} problem(s)"
        print(f"  => {status} (time limit {p.tl}s, {len(p.tests)} tests)", flush=True)
        if p.errors:
            failed.append(pdir.name)
    print(f"\n{len(args) - len(failed)}/{len(args)} problems pass" + (f"; failing: {' '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
