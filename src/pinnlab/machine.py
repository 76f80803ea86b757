"""The machine a record was made on (JAX-free): operating system, CPU model and core count.

``training.artifacts.provenance`` says which software and device ran a job; this says which computer, for the
records that time or summarise (``report.summary``, the scripts of ``benchmarks/``): a timing means nothing without
the CPU it ran on.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")


def cpu_model(cpuinfo: Path = CPUINFO) -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (Linux), else what ``platform`` knows."""
    try:
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "Processor") and value.strip():
                return value.strip()
    except OSError:  # not Linux: no /proc
        pass
    return platform.processor() or platform.machine() or "unknown"


def describe_machine() -> dict:
    """``platform`` (OS, kernel, architecture), ``cpu`` (model) and ``cores`` (logical CPUs)."""
    return {"platform": platform.platform(), "cpu": cpu_model(), "cores": os.cpu_count()}
