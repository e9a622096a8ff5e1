"""Shared helpers for build.py and check.py: compiling submissions outside the package."""
import shutil
import subprocess
from pathlib import Path


def compile_submission(src: Path, outdir: Path) -> list[str]:
    """Compile src into outdir (under /tmp) and return the command that runs it."""
    outdir.mkdir(parents=True, exist_ok=True)
    exe = outdir / (src.stem + "." + src.suffix[1:] + ".bin")
    ext = src.suffix
    if ext == ".py":
        return ["python3", str(src)]
    if ext == ".js":
        return ["node", str(src)]
    if ext == ".cpp":
        cmd = ["g++", "-O2", "-std=c++20", "-o", str(exe), str(src)]
    elif ext == ".c":
        cmd = ["gcc", "-O2", "-std=c17", "-o", str(exe), str(src), "-lm"]
    elif ext == ".go":
        cmd = ["go", "build", "-o", str(exe), str(src)]
    elif ext == ".rs":
        cmd = ["rustc", "-O", "--edition=2021", "-o", str(exe), str(src)]
    elif ext == ".java":
        jdir = outdir / (src.stem + "_java")
        if jdir.exists():
            shutil.rmtree(jdir)
        jdir.mkdir()
        subprocess.run(["javac", "-d", str(jdir), str(src)], check=True, capture_output=True)
        return ["java", "-Xss64m", "-cp", str(jdir), src.stem]
    else:
        raise ValueError(f"unknown language: {src}")
    env = None
    if ext == ".go":
        import os
        env = dict(os.environ, GO111MODULE="off", GOFLAGS="")
    res = subprocess.run(cmd, capture_output=True, cwd=str(outdir), env=env)
    if res.returncode != 0:
        raise RuntimeError(f"compile error in {src}:\n{res.stderr.decode()[:2000]}")
    return [str(exe)]
