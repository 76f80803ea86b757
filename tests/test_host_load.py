"""pinnlab.host_load: the cores other processes keep busy while a timing runs, read from /proc/stat."""

import math
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pinnlab.host_load import OthersBusy, busy_cpu_seconds

LINUX = Path("/proc/stat").exists()


def test_busy_seconds_count_every_busy_field_of_the_first_line(tmp_path):
    """user + nice + system + irq + softirq + steal, in clock ticks; idle and iowait are not busy."""
    import os

    stat = tmp_path / "stat"
    stat.write_text("cpu  100 20 30 5000 70 1 2 3 0 0\ncpu0 50 10 15 2500 35 0 1 2 0 0\n")
    assert busy_cpu_seconds(stat) == pytest.approx((100 + 20 + 30 + 1 + 2 + 3) / os.sysconf("SC_CLK_TCK"))
    assert busy_cpu_seconds(tmp_path / "absent") is None
    with OthersBusy(tmp_path / "absent") as load:
        pass
    assert math.isnan(load.cores)


@pytest.mark.skipif(not LINUX, reason="reads Linux's /proc/stat")
def test_a_spinning_neighbour_is_seen_and_our_own_work_is_not():
    """A child process spinning for a second counts about one core; the same spin in this process counts none of
    it (it is the timing's own work). Other users of a shared machine only add to the first and can raise the
    second, so the second is bounded by the first."""
    spin = "import time\nt = time.perf_counter()\nwhile time.perf_counter() - t < 1.5: pass"
    with OthersBusy() as neighbour:
        child = subprocess.Popen([sys.executable, "-c", spin])
        child.wait()
    with OthersBusy() as own:
        t = time.perf_counter()
        while time.perf_counter() - t < 1.5:
            pass
    assert neighbour.cores > 0.5, neighbour.cores
    assert own.cores < neighbour.cores - 0.3, (own.cores, neighbour.cores)
