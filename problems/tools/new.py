#!/usr/bin/env python3
"""Scaffold problem.yaml and arena.yaml for a new problem, plus the validator prelude.

usage: new.py SHORTNAME "Title" DIFFICULTY TIME_LIMIT "tag1,tag2" "O(time)" "O(space)" [validation] [validator_flags]
The validator body is read from SHORTNAME/input_validators/body.py if present and
appended to prelude.py into validate.py (the package keeps only the self-contained validate.py).
"""
import sys
import uuid
from pathlib import Path

root = Path(__file__).resolve().parent.parent
name, title, diff, tl, tags, ct, cs = sys.argv[1:8]
validation = sys.argv[8] if len(sys.argv) > 8 else ""
flags = sys.argv[9] if len(sys.argv) > 9 else ""
d = root / name
d.mkdir(exist_ok=True)
py = d / "problem.yaml"
uid = str(uuid.uuid4())
if py.exists():
    for line in py.read_text().splitlines():
        if line.startswith("uuid:"):
            uid = line.split(":", 1)[1].strip()
lines = [f"name: {title}", f"uuid: {uid}", "source: SegFault Arena", "license: cc by-sa",
         "author: SegFault Arena problem team"]
if validation:
    lines.append(f"validation: {validation}")
if flags:
    lines.append(f"validator_flags: {flags}")
lines += ["limits:", f"  time_limit: {tl}", "  memory: 256"]
py.write_text("\n".join(lines) + "\n")
tag_list = ", ".join(t.strip() for t in tags.split(","))
(d / "arena.yaml").write_text(f"difficulty: {diff}\ntags: [{tag_list}]\ncomplexity:\n  time: \"{ct}\"\n  space: \"{cs}\"\n")
body = d / "input_validators" / "body.py"
if body.exists():
    prelude = (Path(__file__).resolve().parent / "prelude.py").read_text()
    (d / "input_validators" / "validate.py").write_text(prelude + "\n# --- problem-specific checks ---\n" + body.read_text() + "\nend()\n")
    body.unlink()
print(f"scaffolded {name}")
