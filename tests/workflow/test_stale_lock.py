"""The lock of a killed Snakemake is released only when its owner is known, on this machine, gone, and left no job
running (pinnlab.stale_lock)."""

import json
import os
import signal
import socket
import subprocess
import time

from pinnlab.stale_lock import OWNER, record_owner, release_stale_lock


def locked_by(locks, pid, leads_group=True, host=None):
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "0.input.lock").write_text("results/smoke/x\n")
    (locks / OWNER.format(pid=pid)).write_text(json.dumps(
        {"host": host or socket.gethostname(), "pid": pid, "leads_group": leads_group}))


def gone_group_leader() -> int:
    """The pid of a process that led its own group and has ended, with nothing left in the group."""
    proc = subprocess.Popen(["true"], start_new_session=True)
    proc.wait()
    return proc.pid


def test_a_live_owner_keeps_its_lock(tmp_path):
    locks = tmp_path / "locks"
    record_owner(locks)
    (locks / "0.output.lock").write_text("x\n")
    assert release_stale_lock(locks) is None and (locks / "0.output.lock").exists()


def test_the_lock_of_a_killed_run_is_released(tmp_path):
    locks = tmp_path / "locks"
    pid = gone_group_leader()
    locked_by(locks, pid)
    note = release_stale_lock(locks)
    assert "released the lock" in note and str(pid) in note and not locks.exists()
    assert release_stale_lock(locks) is None  # nothing locked: nothing to say


def test_jobs_of_a_killed_run_that_still_run_keep_the_lock(tmp_path):
    locks = tmp_path / "locks"
    leader = subprocess.Popen(["bash", "-c", "sleep 30 & exit"], start_new_session=True)  # the leader ends, sleep runs
    leader.wait()
    try:
        locked_by(locks, leader.pid)
        note = release_stale_lock(locks)
        assert "its jobs still run" in note and f"kill -- -{leader.pid}" in note and (locks / "0.input.lock").exists()
    finally:
        os.killpg(leader.pid, signal.SIGKILL)
    for _ in range(50):  # the group empties once sleep is reaped by init
        try:
            os.killpg(leader.pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break
    assert "released the lock" in release_stale_lock(locks)


def test_owners_that_cannot_be_judged_keep_their_lock(tmp_path):
    for owner in ({"leads_group": False}, {"host": "another-machine"}):  # a script's run; a shared folder
        locks = tmp_path / str(len(owner)) / next(iter(owner))
        locked_by(locks, gone_group_leader(), **owner)
        assert release_stale_lock(locks) is None and (locks / "0.input.lock").exists()
    bare = tmp_path / "bare"  # a lock without an owner record (a Snakemake killed before its onstart)
    bare.mkdir()
    (bare / "0.input.lock").write_text("x\n")
    assert release_stale_lock(bare) is None
