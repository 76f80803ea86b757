"""SHA-256 of the files the DAG writes, so that a file changed or cut short after its job wrote it is caught where it
is read (JAX-free).

Snakemake re-runs a job whose inputs are newer than its outputs, but it never looks inside a file: a truncated
``metrics.csv`` or an edited reference leaves ``snakemake -n all`` at "Nothing to be done". So the writer records each
file's hash beside it — a run's ``summary.json`` those of its ``params.npz`` and ``metrics.csv``
(``pinnlab.training.artifacts``), a reference's JSON sidecar that of its ``.npz`` (``pinnlab.reference.build``) — and
the readers compare before they use the file (``training.artifacts``, ``evaluate.load_reference``); the ``verify``
target compares every expected file at once (``pinnlab.verify``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20


def sha256(path: Path | str) -> str:
    """The hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def matches(path: Path | str, recorded: str | None) -> bool:
    """Whether ``path`` exists and its SHA-256 is ``recorded``."""
    return recorded is not None and Path(path).is_file() and sha256(path) == recorded
