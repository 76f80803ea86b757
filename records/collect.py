"""Keep a scale's generated tables as a record: ``python records/collect.py <name> --scale paper --files ...``.

Copies the given files (tables the DAG wrote under ``figures/<scale>/`` or ``results/<scale>/``) into
``records/<scale>/<name>/`` and writes ``provenance.json`` beside them: the git commit, software versions and device
recorded in the summaries of the runs behind them (``--runs``) or, for a study that writes no run summaries (the
Newton study, the NTK spectra, Fig. 1b's norms), in its jobs' ``<log>.provenance.json`` (``--logs``, written by
workflow/scripts/job.py), else those of this checkout once ``snakemake -n <target>`` has confirmed that the DAG holds
the files up to date with its code and config (``--target``); the date, the machine, the command that made them, and
the SHA-256 of every file. Parameters and checkpoints are never kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path


def this_checkout(target: str, scale: str) -> dict:
    """The provenance of this checkout, once the DAG says that ``target`` is up to date with its code and config (so
    the files were made by this code); the git commit says whether the tree had uncommitted changes."""
    plan = subprocess.run(["snakemake", target, "-n", "--config", f"scale={scale}",
                           "allow_cpu_paper=true"], capture_output=True, text=True, timeout=600)
    if plan.returncode != 0 or "Nothing to be done" not in plan.stdout + plan.stderr:
        sys.exit(f"`snakemake -n {target} --config scale={scale}` plans jobs: the files are not those of this "
                 f"checkout's code; run the target first\n{plan.stdout[-2000:]}{plan.stderr[-2000:]}")
    from pinnlab.config import load_config
    from pinnlab.training.artifacts import provenance

    found = provenance()  # commit (marked if dirty), versions and device of this process; precision as the config
    return found | {"matmul_precision": load_config("config/config.yaml")["matmul_precision"],
                    "x64": "as the study sets it"}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("name")
    p.add_argument("--scale", required=True)
    p.add_argument("--files", nargs="+", required=True, help="generated tables to keep")
    p.add_argument("--runs", nargs="+", default=[], help="summary.json of the runs behind them")
    p.add_argument("--logs", nargs="+", default=[], help="the jobs' <log>.provenance.json behind them (a study "
                   "without run summaries; workflow/scripts/job.py writes them)")
    p.add_argument("--target", required=True, help="the DAG target that regenerates them (e.g. newton)")
    p.add_argument("--command", required=True, help="the command that made them")
    p.add_argument("--wall-time", required=True, help="how long the command took, as measured")
    args = p.parse_args(argv)
    out = Path("records") / args.scale / args.name
    out.mkdir(parents=True, exist_ok=True)
    summaries = ([json.loads(Path(s).read_text()) for s in args.runs + args.logs]
                 or [this_checkout(args.target, args.scale)])
    software = {json.dumps({k: s.get(k) for k in ("git_commit", "versions", "device", "x64", "matmul_precision")},
                           sort_keys=True) for s in summaries}
    kept = {}
    for f in args.files:
        shutil.copy(f, out / Path(f).name)
        kept[Path(f).name] = hashlib.sha256(Path(f).read_bytes()).hexdigest()
    provenance = {"name": args.name, "scale": args.scale, "target": args.target, "command": args.command,
                  "wall_time": args.wall_time,
                  "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
                  "machine": {"node": platform.node(), "processor": platform.processor() or platform.machine(),
                              "cpus": os.cpu_count()},
                  "runs": len(args.runs), "jobs": [{k: j[k] for k in ("rule", "wildcards", "started", "wall_time_s",
                                                                          "threads", "machine")}
                                                  for j in map(lambda f: json.loads(Path(f).read_text()), args.logs)],
                  "software": [json.loads(s) for s in sorted(software)],
                  "files": kept}
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"records/{args.scale}/{args.name}: {len(kept)} files, runs of {len(software)} software set(s)")


if __name__ == "__main__":
    main()
