"""Host memory: what this machine has, and what a Fig. 1b job needs.

Fig. 1b's norms are the one computation whose memory outgrows a laptop at the paper scale: the three matrix-free
Lanczos runs keep every intermediate of the residuals' second derivatives at all residual points alive at once, so
one (width, seed) pair needs memory linear in width × points. ``benchmarks/fig1b_memory.py`` measured the peaks of
fresh processes at a few widths per PDE; its record (``FIG1B_RECORD``) holds the line through them, which this
module extends to a scale's widest network and points.

The DAG schedules by it (Snakefile, ``workflow/rules/common.smk``): rule ``fig1b_norms`` declares the need as
``mem_mb``; a local run gets this machine's memory as its ``mem_mb`` unless ``--resources mem_mb=...`` says
otherwise, so jobs that do not fit side by side run one after the other; and ``paper_on_cpu`` leaves out a table
that does not fit at all, saying which and why, instead of starting a job the kernel would kill.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIG1B_RECORD = Path(__file__).resolve().parents[2] / "records/benchmarks/2026-12-02-cpu-fig1b-memory/fig1b_memory.json"
MARGIN = 1.25  # the line is fitted on networks 10× narrower than the paper's widest, and a job holds more than a pair


def machine_mb() -> int:
    """This machine's physical memory in MB (10⁶ bytes, as Snakemake's ``mem_mb``)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 10**6


def fig1b_lines(record: Path = FIG1B_RECORD) -> dict[str, dict]:
    """Per PDE: the measured line (``base MB`` + ``MB per width`` × width) and the ``points`` it was measured on."""
    if not record.exists():
        raise FileNotFoundError(f"{record} is missing: it is tracked in git (restore it with `git checkout -- "
                                f"{record}`) or remade by `python benchmarks/fig1b_memory.py --out {record.parent}`")
    return {r["pde"]: r for r in json.loads(record.read_text())["rows"]}


def fig1b_need_mb(widest: int, points: int, pde: str, record: Path = FIG1B_RECORD) -> int:
    """MB a Fig. 1b job of ``pde`` needs at width ``widest`` on ``points`` residual points: the measured line's part
    that grows with width scaled to these points, its base, and ``MARGIN``. 0 for a PDE the record does not hold."""
    line = fig1b_lines(record).get(pde)
    if line is None:
        return 0
    return round(MARGIN * (line["base MB"] + line["MB per width"] * widest * points / line["points"]))
