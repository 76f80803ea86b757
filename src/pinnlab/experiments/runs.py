"""The one run builder of every experiment, its provenance record, and the training step of every training job.

``build_run`` turns what an experiment resolved from the config (phases, network, points, budget) into a
``Run`` whose ``resolved`` record says everything that defines it: the run's key (scale, experiment, PDE, method,
seed), the PDE's constants, the experiment's settings, the loss convention and matmul precision. That record is
the run's fingerprint (a checkpoint of another record is ignored on resume) and its summary's ``config``.
"""

from __future__ import annotations

from pathlib import Path

from pinnlab.errors import PinnlabError
from pinnlab.evaluate import load_reference
from pinnlab.layout import RunKey
from pinnlab.sampling import PointSpec
from pinnlab.training.artifacts import finish, load_warm_start
from pinnlab.training.loop import train_one_by_one, train_runs
from pinnlab.training.run import Phase, Run


def provenance(cfg: dict, key: RunKey, pde, settings: dict) -> dict:
    """The record that defines a run (everything but its software and machine, which the summary adds)."""
    return {"scale": key.scale, "experiment": key.experiment, "pde": key.pde, "pde_constants": vars(pde),
            "method": key.method, "seed": int(key.seed), "settings": settings,
            "loss_convention": cfg["loss_convention"], "matmul_precision": cfg["matmul_precision"]}


def build_run(cfg: dict, key: RunKey, pde, *, phases: list[Phase], network: dict, points: dict | PointSpec,
              log_every: int, checkpoint_every: int, settings: dict, continues: Path | str | None = None,
              objective=None, probes=()) -> Run:
    """A run of experiment ``key.experiment``; ``continues``: the run directory of the run it continues (GDND)."""
    resolved = provenance(cfg, key, pde, settings)
    if continues is not None:
        resolved["continues"] = str(continues)
    return Run(pde=pde, phases=phases, network=network,
               points=points if isinstance(points, PointSpec) else PointSpec.from_config(points),
               seed=int(key.seed), log_every=log_every, checkpoint_every=checkpoint_every,
               loss_convention=cfg["loss_convention"],
               label=f"{key.scale}/{key.experiment}/{key.pde}/{key.method}/w{network['width']}/s{key.seed}",
               resolved=resolved, warm_start=None if continues is None else load_warm_start(continues),
               objective=objective, probes=list(probes))


def check_width(key: RunKey, width: int) -> None:
    """A run directory's width (``w<width>``) must be the width the config gives the run."""
    if int(key.width) != width:
        raise PinnlabError(f"run directory says width {key.width} but the {key.scale} config trains "
                           f"{key.experiment}/{key.pde}/{key.method} with width {width}: ask for w{width}")


def train_and_write(runs: list[Run], reference_path: Path | str, run_dirs, *, progress: bool = True) -> list[dict]:
    """Train ``runs`` (one run, or seeds of one run together), write each one's artifacts; the summaries."""
    outcomes = train_runs(runs, load_reference(reference_path), [Path(d) for d in run_dirs], progress=progress)
    return [finish(d, run, outcome) for run, outcome, d in zip(runs, outcomes, run_dirs)]


def train_each(runs: list[Run], reference_path: Path | str, run_dirs, *, progress: bool = True) -> list[dict]:
    """Train ``runs`` one after another in this process (a seeds-together job's ``loop``), each resuming from its own
    checkpoint, so an interrupted job redoes no finished run; the summaries. One start-up for them all, and a later
    run reuses the compiled programs of an earlier one (``training.loop.train_one_by_one``)."""
    return [finish(d, run, outcome)
            for run, d, outcome in train_one_by_one(runs, load_reference(reference_path), run_dirs, progress=progress)]
