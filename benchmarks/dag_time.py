"""Benchmark: where a DAG run's time went, from the provenance every job writes beside its log.

    python benchmarks/dag_time.py [--logs logs/quick] [--by rule method pde] [--out DIR]

Reads ``<logs>/**/*.log.provenance.json`` (written by workflow/scripts/job.py: rule, wildcards, start, wall time,
threads) and prints the job-seconds per group — the rule, and for training rules the method and PDE as asked by
``--by`` — with their count and share of the total, and the run's span (first start to last end), so that a budget
for the whole DAG can be spent where it decides something. Only the jobs whose logs are there are counted: point it
at the log folder of one complete run (a re-run of some targets leaves the older jobs' logs beside the newer ones).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from record import add_out_option, write_record  # benchmarks/ is the script's folder

KEYS = ("rule", "method", "pde")


def read_jobs(logs: Path) -> list[dict]:
    """One entry per job: its rule, wildcards, start and wall time. Unreadable files are named and skipped."""
    jobs = []
    for path in sorted(logs.rglob("*.log.provenance.json")):
        try:
            p = json.loads(path.read_text())
            jobs.append({"rule": p["rule"], "wildcards": p.get("wildcards", {}),
                         "started": datetime.fromisoformat(p["started"]), "wall_time_s": float(p["wall_time_s"])})
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"skipped {path}: {e!r}", file=sys.stderr)
    return jobs


def job_seconds(jobs: list[dict], by: tuple[str, ...]) -> list[dict]:
    """Rows of job-seconds per group of ``by`` (rule and wildcards), largest first, each with its share."""
    total = sum(j["wall_time_s"] for j in jobs)
    groups: dict[tuple, list[float]] = defaultdict(list)
    for j in jobs:
        key = tuple(j["rule"] if k == "rule" else j["wildcards"].get(k, "") for k in by)
        groups[key].append(j["wall_time_s"])
    rows = [{**dict(zip(by, key)), "jobs": len(times), "job-s": sum(times), "share": sum(times) / total}
            for key, times in groups.items()]
    return sorted(rows, key=lambda r: -r["job-s"])


def span_s(jobs: list[dict]) -> float:
    """Seconds from the first job's start to the last job's end."""
    start = min(j["started"] for j in jobs)
    return max((j["started"] - start).total_seconds() + j["wall_time_s"] for j in jobs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--logs", type=Path, default=Path("logs/quick"), help="a scale's log folder after a DAG run")
    p.add_argument("--by", nargs="+", default=["rule"], choices=KEYS,
                   help="group by these (method and PDE: the training rules' wildcards)")
    add_out_option(p)
    args = p.parse_args()
    if not args.logs.is_dir():
        sys.exit(f"no log folder {args.logs}: run the DAG first (e.g. snakemake --cores 2 all --config scale=quick)")
    jobs = read_jobs(args.logs)
    if not jobs:
        sys.exit(f"no job provenance under {args.logs} (*.log.provenance.json): run the DAG first")
    rows = job_seconds(jobs, tuple(args.by))
    total, span = sum(r["job-s"] for r in rows), span_s(jobs)
    width = max(len(" / ".join(str(r[k]) for k in args.by)) for r in rows)
    for r in rows:
        print(f"{' / '.join(str(r[k]) for k in args.by):<{width}} {r['jobs']:4d} {r['job-s']:8.0f} {r['share']:6.1%}")
    print(f"{len(jobs)} jobs, {total:.0f} job-s; span {span:.0f} s (first start to last end)")
    if args.out:
        write_record(args.out, "dag_time", f"job-seconds per {' and '.join(args.by)} of the jobs logged under "
                     f"{args.logs}", rows, f"{len(jobs)} jobs, {total:.0f} job-seconds, span {span:.0f} s.")


if __name__ == "__main__":
    main()
