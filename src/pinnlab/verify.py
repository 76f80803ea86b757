"""The ``verify`` target (rule ``verify``): every artifact a scale is expected to hold exists, and every file whose
SHA-256 was recorded where it was made still matches it.

Snakemake decides what to re-run from the files' times and its own records; it never reads them, so a run folder
that was deleted after its figure was drawn, or a ``params.npz`` cut short, leaves ``snakemake -n all`` at "Nothing
to be done". This job reads everything: the runs of every experiment at the scale (``pinnlab.layout``'s
enumerations, with the runs they continue) against the hashes in their ``summary.json``
(``training.artifacts.run_problems``), the references they use against their sidecars
(``evaluate.reference_sidecar``), and the tables and figures of the scale's rules (the rule gives their paths). A
damaged file comes with the command that re-makes it; missing files with the one command that makes them all; both
in one ``PinnlabError``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from pinnlab.commands import remake, target
from pinnlab.config import scale_config
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import reference_sidecar
from pinnlab.layout import (
    RUN_FILES,
    Layout,
    RunKey,
    continued_key,
    fig1a_runs,
    hessian_density_run,
    kleingordon_runs,
    nncg_comparison_runs,
    table2_runs,
)
from pinnlab.training.artifacts import run_problems

SHOWN = 5
"""Missing files named in the message; one command makes them all."""


def expected_runs(cfg: dict, scale: str) -> list[RunKey]:
    """Every run the DAG makes at ``scale``: Table 2's, the Hessian densities' and the NNCG comparison's (with the
    runs they continue), Fig. 1a's and Klein–Gordon's."""
    sc = scale_config(cfg, scale)
    block = sc["hessian_density"]
    keys = [*table2_runs(cfg, scale), *nncg_comparison_runs(cfg, scale),
            *(hessian_density_run(cfg, scale, pde, method) for pde in block["pdes"] for method in block["methods"])]
    keys += [parent for key in keys if (parent := continued_key(key))]
    return list(dict.fromkeys(keys + fig1a_runs(cfg, scale) + kleingordon_runs(cfg, scale)))


def file_problem(path: Path) -> str | None:
    """Why a table or figure that exists cannot be used (empty, or a CSV / JSON that does not parse), or None."""
    try:
        if path.stat().st_size == 0:
            raise ValueError("empty")
        if path.suffix == ".csv":
            pd.read_csv(path)
        elif path.suffix == ".json":
            json.loads(path.read_text())
    except Exception as exc:  # noqa: BLE001 - any parse failure means the file is corrupt
        return f"{path} does not parse ({exc}); re-make it with `{remake(path)}`"
    return None


def problems(cfg: dict, scale: str, files) -> tuple[list[str], list[str], dict[str, int]]:
    """(the files that are missing, one message per file that exists but is damaged, how many runs, references and
    other files were checked) of the scale's artifacts."""
    paths, runs = Layout.of(cfg), expected_runs(cfg, scale)
    references = [paths.reference(pde) for pde in sorted({key.pde for key in runs})]
    run_files = [Path(paths.run(key, name)) for key in runs for name in RUN_FILES]
    missing = [str(f) for f in [*run_files, *map(Path, references), *map(Path, files)] if not f.is_file()]
    damaged = [p for key in runs if not any(paths.run(key, name) in missing for name in RUN_FILES)
               for p in run_problems(paths.run_dir(key))]
    for reference in (r for r in references if r not in missing):
        try:
            reference_sidecar(reference)
        except PinnlabError as exc:
            damaged.append(str(exc))
    damaged += [p for f in files if f not in missing and (p := file_problem(Path(f)))]
    return missing, damaged, {"runs": len(runs), "references": len(references), "tables and figures": len(files)}


def verify(job) -> None:
    """Check the scale ``job.params.scale``: its runs, their references and ``job.params.files``."""
    scale = job.params.scale
    missing, damaged, counts = problems(job.config, scale, list(job.params.files))
    checked = ", ".join(f"{n} {what}" for what, n in counts.items())
    if missing or damaged:
        lines = [f"verify ({scale} scale), of {checked}:"]
        if damaged:
            lines += [f"  {len(damaged)} damaged, each re-made by its command:"] + [f"  - {d}" for d in damaged]
        if missing:
            shown = missing[:SHOWN]
            lines += [f"  {len(missing)} missing ({', '.join(shown)}{', …' if len(missing) > len(shown) else ''}); "
                      f"make them with `{target('all', scale=scale)}`"]
        raise PinnlabError("\n".join(lines))
    # the verdict is for the terminal, not only the job's log
    for stream in {sys.stdout, sys.__stdout__}:
        print(f"pinnlab: verify ({scale} scale): {checked}: every one present and intact", file=stream, flush=True)
