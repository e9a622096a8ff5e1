#!/usr/bin/env python3
"""Print the Markdown table of the bundled problems (used to refresh README.md).

usage: catalog.py [PROBLEMS_DIR]
"""
import sys
from pathlib import Path

import yaml

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
rows = []
for d in sorted(root.iterdir()):
    if not (d / "problem.yaml").exists():
        continue
    meta = yaml.safe_load((d / "problem.yaml").read_text())
    arena = yaml.safe_load((d / "arena.yaml").read_text())
    kind = []
    val = str(meta.get("validation", ""))
    if "interactive" in val:
        kind.append("interactive")
    elif val.startswith("custom"):
        kind.append("custom checker")
    if "float_tolerance" in str(meta.get("validator_flags", "")):
        kind.append("float tolerance")
    rows.append((arena["difficulty"], d.name, meta["name"], ", ".join(arena["tags"]),
                 arena["complexity"]["time"], arena["complexity"]["space"],
                 meta["limits"]["time_limit"], "; ".join(kind)))
rows.sort()
print("| difficulty | short name | title | tags | time | space | time limit | judging |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| {} | `{}` | {} | {} | {} | {} | {} s | {} |".format(*r))
easy = sum(1 for r in rows if r[0] <= 1200)
medium = sum(1 for r in rows if 1300 <= r[0] <= 2000)
hard = sum(1 for r in rows if r[0] >= 2100)
print(f"\n{len(rows)} problems: {easy} easy (800-1200), {medium} medium (1300-2000), {hard} hard (2100-3000).")
