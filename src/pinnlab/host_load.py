"""How busy other processes kept the machine while this one timed something (JAX-free).

A timing claim is decided on a job that should have the machine to itself (rule ``annealing_cost``), but Snakemake
can only keep its own jobs away: a second ``snakemake`` invocation, a test suite or another user still runs beside
it, and on the 2-core development machine such a neighbour moved the annealing overhead of the same models across
the claim's threshold between two runs of one commit. So the timing measures its neighbours: the
machine's busy CPU time (Linux ``/proc/stat``, every process, with the hypervisor's steal time) minus this process's
own CPU time, per second of wall time, is the number of cores that others kept busy.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

PROC_STAT = Path("/proc/stat")


def busy_cpu_seconds(stat: Path = PROC_STAT) -> float | None:
    """CPU-seconds all processes of the machine have been busy since boot (user, nice, system, irq, softirq and
    steal of ``/proc/stat``'s first line); None where there is no such file (not Linux)."""
    try:
        fields = stat.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu" or len(fields) < 9:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class OthersBusy:
    """``with OthersBusy() as load: ...``; then ``load.cores``: the mean number of cores that other processes kept
    busy during the block (NaN where ``/proc/stat`` is missing). Resolution: one clock tick (10 ms) per block, so
    time blocks of a second or more."""

    def __init__(self, stat: Path = PROC_STAT):
        self.stat = stat
        self.cores = math.nan

    def __enter__(self) -> OthersBusy:
        self._start = (time.perf_counter(), time.process_time(), busy_cpu_seconds(self.stat))
        return self

    def __exit__(self, *exc) -> None:
        wall0, own0, busy0 = self._start
        wall, own, busy = time.perf_counter() - wall0, time.process_time() - own0, busy_cpu_seconds(self.stat)
        if busy0 is not None and busy is not None and wall > 0:
            self.cores = max(0.0, (busy - busy0 - own) / wall)
