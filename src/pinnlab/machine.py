"""The machine a record was made on (JAX-free): operating system, CPU model and core count.

``training.artifacts.provenance`` says which software and device ran a job; this says which computer, for the
records that time or summarise (``report.summary``, the scripts of ``benchmarks/``): a timing means nothing without
the CPU it ran on.
"""

from __future__ import annotations

import functools
import os
import platform
import subprocess
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
DAG_SOURCES = ("src", "config", "workflow", "Snakefile")
"""What the DAG's jobs are made of: uncommitted changes there make a commit an incomplete description."""


VECTOR_EXTENSIONS = ("avx512f", "avx2", "avx")
"""x86 vector extensions, widest first: XLA compiles for the host's, so the same program can round differently
(and run at another speed) on a CPU with another one."""


def cpu_model(cpuinfo: Path = CPUINFO) -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (Linux), else what ``platform`` knows. A virtual machine often
    names only the vendor's line ("AMD EPYC"), so x86 adds the family and model numbers and the widest vector
    extension: two records with the same name may come from different processors."""
    try:
        fields = {}
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:  # not Linux: no /proc
        fields = {}
    name = next((fields[k] for k in ("model name", "Hardware", "Processor") if fields.get(k)), None)
    if name is None:
        return platform.processor() or platform.machine() or "unknown"
    if "cpu family" in fields and "model" in fields:
        flags = fields.get("flags", "").split()
        vector = next((ext for ext in VECTOR_EXTENSIONS if ext in flags), "no AVX")
        name += f" (family {fields['cpu family']}, model {fields['model']}, {vector})"
    return name


def describe_machine() -> dict:
    """``platform`` (OS, kernel, architecture), ``cpu`` (model) and ``cores`` (logical CPUs)."""
    return {"platform": platform.platform(), "cpu": cpu_model(), "cores": os.cpu_count()}


@functools.cache
def git_commit() -> str:
    """HEAD, marked "+uncommitted changes" when the DAG's sources differ from it; ``PINNLAB_GIT_COMMIT`` (a copy
    without .git, such as a device machine's) or "unknown" outside a checkout.

    Taken once per process, at the first call: a job calls it when it starts (workflow/scripts/job.py), so a
    commit made while a long job runs is not attributed to that job's outputs."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", *DAG_SOURCES],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return os.environ.get("PINNLAB_GIT_COMMIT", "unknown")
    return head + ("+uncommitted changes" if dirty else "")
