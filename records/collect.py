"""Keep a scale's generated tables as a record: ``python records/collect.py <name> --scale paper --files ...``.

Copies the given files (tables the DAG wrote under ``figures/<scale>/``) into ``records/<scale>/<name>/`` and writes
``provenance.json`` beside them: the git commit, software versions and device recorded in the summaries of the runs
behind them (``--runs``), the date, the machine, the command that made them, and the SHA-256 of every file.
Parameters and checkpoints are never kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
from datetime import UTC, datetime
from pathlib import Path


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("name")
    p.add_argument("--scale", required=True)
    p.add_argument("--files", nargs="+", required=True, help="generated tables to keep")
    p.add_argument("--runs", nargs="+", required=True, help="summary.json of the runs behind them")
    p.add_argument("--command", required=True, help="the command that made them")
    p.add_argument("--wall-time", required=True, help="how long the command took, as measured")
    args = p.parse_args(argv)
    out = Path("records") / args.scale / args.name
    out.mkdir(parents=True, exist_ok=True)
    summaries = [json.loads(Path(s).read_text()) for s in args.runs]
    software = {json.dumps({k: s[k] for k in ("git_commit", "versions", "device", "x64", "matmul_precision")},
                           sort_keys=True) for s in summaries}
    kept = {}
    for f in args.files:
        shutil.copy(f, out / Path(f).name)
        kept[Path(f).name] = hashlib.sha256(Path(f).read_bytes()).hexdigest()
    provenance = {"name": args.name, "scale": args.scale, "command": args.command, "wall_time": args.wall_time,
                  "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
                  "machine": {"node": platform.node(), "processor": platform.processor() or platform.machine(),
                              "cpus": os.cpu_count()},
                  "runs": len(summaries), "software": [json.loads(s) for s in sorted(software)],
                  "files": kept}
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"records/{args.scale}/{args.name}: {len(kept)} files, runs of {len(software)} software set(s)")


if __name__ == "__main__":
    main()
