"""A smoke DAG killed with ``kill -9`` continues with the documented recovery, the same command (issue #17); then
``verify`` passes, a damaged run is caught by it and re-made by the command it names, and the README's report
commands work at the smoke scale."""

import os
import shlex
import signal
import subprocess
import time

import pytest

from documented import documented_commands, fresh_clone, run

ALL = "snakemake --cores 2 all --config scale=quick"
"""The README's command; the test runs it at the smoke scale (every code path in minutes)."""


def documented(command: str) -> str:
    assert command in {c for _, c in documented_commands()}, command
    return command.replace("scale=quick", "scale=smoke").replace("scale=paper", "scale=smoke")


@pytest.fixture
def copy(tmp_path):
    return fresh_clone(tmp_path)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_a_killed_dag_continues_with_the_same_command(copy):
    command = documented(ALL)
    env = os.environ | {"PYTHONPATH": str(copy / "src")}
    with open(copy / "first.log", "w") as log:  # started from a terminal: Snakemake leads its process group
        first = subprocess.Popen(shlex.split(command), cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    deadline = time.time() + 300
    while len(list((copy / "results/smoke").rglob("summary.json"))) < 3 and first.poll() is None:
        assert time.time() < deadline, (copy / "first.log").read_text()[-3000:]
        time.sleep(0.5)
    os.kill(first.pid, signal.SIGKILL)  # Snakemake only: its running jobs are orphaned, as after `kill -9 <pid>`
    first.wait()
    assert any((copy / ".snakemake/locks").glob("*.lock"))
    if group_alive(first.pid):  # its jobs still run: the same command says so and waits for them, touching nothing
        out = run(copy, command)
        assert out.returncode != 0 and "its jobs still run" in out.stderr + out.stdout
        while group_alive(first.pid):
            time.sleep(0.5)
    out = run(copy, command, timeout=1800)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "released the lock" in out.stderr + out.stdout

    verify = documented("snakemake --cores 1 verify --config scale=quick")
    out = run(copy, verify)
    assert out.returncode == 0 and "present and intact" in out.stdout + out.stderr, out.stdout[-3000:]

    # a run cut short after the figure was drawn: invisible to Snakemake, caught by verify, re-made by its command
    metrics = next((copy / "results/smoke/fig1a").rglob("metrics.csv"))
    metrics.write_bytes(metrics.read_bytes()[: metrics.stat().st_size // 2])
    out = run(copy, verify)
    text = out.stdout + out.stderr
    assert out.returncode != 0 and "1 damaged" in text
    fix = f"snakemake --cores 1 --force {(metrics.parent / 'summary.json').relative_to(copy)}"
    assert f"`{fix}`" in text
    for step in (fix, command, verify):  # the named command, then the README's (which redraws what read the run)
        out = run(copy, step, timeout=1800)
        assert out.returncode == 0, step + out.stdout[-3000:] + out.stderr[-3000:]

    for report in sorted({c for _, c in documented_commands() if "--report" in c}):
        out = run(copy, documented(report))
        assert out.returncode == 0, report + out.stdout[-2000:] + out.stderr[-2000:]
    assert (copy / "report.html").stat().st_size > 0
