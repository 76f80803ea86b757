"""The commands that messages, pages and tables print (JAX-free), built here so that each works as printed.

A command a user copies from an error message or from the claims page must run on a fresh clone without edits:
it names the cores (Snakemake refuses to run without them) and the scale (the config's default is ``paper``,
which a machine without a GPU refuses). tests/workflow/test_documented_commands.py runs every command these
functions print, as a dry run.
"""

from __future__ import annotations

CORES = 2
"""The cores of the README's commands (the CPU the quick scale's budget is stated for)."""


def target(*targets: str, scale: str) -> str:
    """Make the named targets (rules such as ``table2`` or paths) at ``scale``."""
    return f"snakemake --cores {CORES} {' '.join(targets)} --config scale={scale}"


def remake(path: str) -> str:
    """Make one file again, whether it is missing, corrupt or up to date: ``--force`` re-runs the job that writes
    it (and no job before it). The file's path names its scale (``results/<scale>/...``) or it has none (a
    reference), so no ``--config scale`` is needed."""
    return f"snakemake --cores 1 --force {path}"
