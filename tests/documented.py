"""The commands a reader is told to type, extracted from where they are printed (never retyped in the tests).

``documented_commands`` reads README.md, docs/*.md and the Snakefile's header; ``commands_in`` reads any text (a
generated page, an error message). A command is an inline code span or a line of a fenced block that starts with
``snakemake``, ``python -m pinnlab`` or ``python benchmarks/`` (after an optional ``time``); ``&&`` separates
commands; a span with a placeholder (``<…>``, ``…``) is a pattern, not a command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROGRAMS = ("snakemake", "python -m pinnlab", "python benchmarks/")
PLACEHOLDERS = ("<", "…", "{")


def _candidates(text: str) -> list[str]:
    fenced = re.findall(r"^```(?:bash|sh)?\n(.*?)^```", text, re.M | re.S)
    lines = [line.split(" #")[0] for block in fenced for line in block.splitlines() if not line.startswith("#")]
    unfenced = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", unfenced)]
    return lines + spans


def commands_in(text: str) -> list[str]:
    """Every command of ``text``, in order, once."""
    found = []
    for candidate in _candidates(text):
        for part in candidate.split("&&"):
            command = " ".join(part.split()).removeprefix("time ")
            if (command.startswith(PROGRAMS) and command != "snakemake"  # the program's name in a sentence
                    and not any(p in command for p in PLACEHOLDERS)):
                found.append(command)
    return list(dict.fromkeys(found))


def snakefile_header_commands() -> list[str]:
    """The commands of the Snakefile's opening comment (``#   snakemake …  (what it does)``)."""
    header = []
    for line in (REPO / "Snakefile").read_text().splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("# ").split("  (")[0].strip())
    return [c for c in header if c.startswith(PROGRAMS)]


def documented_commands() -> list[tuple[str, str]]:
    """(file, command) for every command of README.md, docs/*.md and the Snakefile's header."""
    files = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    found = [(f.relative_to(REPO).as_posix(), c) for f in files for c in commands_in(f.read_text())]
    return found + [("Snakefile", c) for c in snakefile_header_commands()]


def fresh_clone(dest: Path) -> Path:
    """The files a fresh clone has (nothing made yet) in ``dest``."""
    for item in ("Snakefile", "config", "workflow", "profiles", "src", "records", "environment.yml"):
        src = REPO / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / item)
    return dest


def run(cwd, command: str, timeout=300) -> subprocess.CompletedProcess:
    """``command`` in ``cwd`` through a shell (its globs expand), with the clone's pinnlab and this Snakemake."""
    env = os.environ | {"PYTHONPATH": str(Path(cwd) / "src"),
                        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
