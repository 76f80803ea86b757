"""The lock of a Snakemake run that was killed (``kill -9``, a closed terminal, a lost SSH session), released, so
that the same command continues where the run stopped (JAX-free; the Snakefile calls it when it parses).

Snakemake locks the folder while it runs (``.snakemake/locks/``) and removes the lock when it ends; a process that
is killed cannot, and the next command then stops with "Directory cannot be locked" until ``snakemake --unlock``.
Snakemake's lock does not say who holds it, so the workflow records it (``record_owner``, from ``onstart``): the host,
the process id and whether that process leads its own process group, the group its jobs run in. On the next start
(``release_stale_lock``) the lock is removed only when its owner is known, ran on this machine, is gone, and left no
job running; otherwise Snakemake's own message stands (and, where jobs of the killed run still run, a line saying
which). A run from another machine on a shared folder, or one started without its own process group (from a script
without job control), is never judged: ``snakemake --unlock`` remains the way there.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

LOCKS = Path(".snakemake") / "locks"
OWNER = "pinnlab-owner-{pid}.json"


def record_owner(locks: Path = LOCKS) -> None:
    """Record this process as an owner of the folder's lock (in the lock folder, which Snakemake removes with the
    lock)."""
    pid = os.getpid()
    locks.mkdir(parents=True, exist_ok=True)
    record = {"host": socket.gethostname(), "pid": pid, "leads_group": os.getpgrp() == pid}
    (locks / OWNER.format(pid=pid)).write_text(json.dumps(record) + "\n")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_stale_lock(locks: Path = LOCKS) -> str | None:
    """Remove the folder's lock if it was left by a run that is gone; a line for the user when something was done
    or must be done, else None."""
    if not any(locks.glob("*.lock")):
        return None
    try:
        owners = [json.loads(p.read_text()) for p in locks.glob(OWNER.format(pid="*"))]
    except (OSError, json.JSONDecodeError):
        return None
    if not owners or any(o.get("host") != socket.gethostname() or not o.get("leads_group") for o in owners):
        return None  # an owner we cannot judge: Snakemake's message (`snakemake --unlock`) stands
    if any(_alive(o["pid"]) for o in owners):
        return None  # a Snakemake is running here: the lock is real
    if running := sorted(o["pid"] for o in owners if _group_alive(o["pid"])):
        return (f"pinnlab: the Snakemake that locked this folder was stopped, but its jobs still run (process group "
                f"{', '.join(map(str, running))}); wait for them to end, or end them with "
                f"`kill -- -{running[0]}`, then run the same command again")
    shutil.rmtree(locks, ignore_errors=True)
    return (f"pinnlab: released the lock of a Snakemake that was stopped (pid "
            f"{', '.join(str(o['pid']) for o in owners)}); its unfinished jobs run again and training resumes from "
            "the last checkpoints")
