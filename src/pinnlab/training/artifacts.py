"""Run artifacts, as DESIGN.md's contract: a run directory (``pinnlab.layout``) holding ``params.npz``,
``metrics.csv`` and ``summary.json`` (the run's provenance record, software versions, status, final numbers, and the
SHA-256 of the other two files).

Every reader of a run goes through this module: ``read_summary``, ``checked_run_file`` and ``read_metrics`` compare a
file with the hash its summary recorded (``pinnlab.integrity``) and name the command that re-makes the run, so a
file changed or cut short after training is never used.
"""

from __future__ import annotations

import json
import math
import platform
from pathlib import Path

import jax
import pandas as pd

from pinnlab.commands import remake
from pinnlab.errors import PinnlabError
from pinnlab.integrity import sha256
from pinnlab.layout import CHECKPOINT_FILE, RUN_FILES
from pinnlab.machine import git_commit
from pinnlab.training import checkpoint
from pinnlab.training.run import WarmStart

SUMMARY_STATUSES = ("ok", "diverged")
HASHED = ("params", "metrics")
"""The run files whose SHA-256 the summary records (the summary itself is checked by reading it)."""


def provenance() -> dict:
    """Software versions, git commit (``pinnlab.machine.git_commit``: taken once per process) and device of this
    process."""
    import flax
    import optax

    device = jax.devices()[0]
    return {"versions": {"python": platform.python_version(), "jax": jax.__version__, "flax": flax.__version__,
                         "optax": optax.__version__},
            "git_commit": git_commit(), "device": f"{device.platform}:{device.device_kind}",
            "x64": bool(jax.config.jax_enable_x64),
            "matmul_precision": str(jax.config.jax_default_matmul_precision)}


def _clean(value):
    """JSON has no NaN: non-finite floats are written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_run(directory: Path, run, outcome) -> dict:
    """Write params, metrics and summary of a finished (or diverged) run; return the summary."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint.save_params(directory / RUN_FILES["params"], outcome.params)
    metrics = pd.DataFrame(outcome.metrics)
    metrics.to_csv(directory / RUN_FILES["metrics"], index=False)
    finite = metrics.dropna(subset=["l2re"])
    last = finite.iloc[-1].to_dict() if len(finite) else {}
    summary = {
        "status": outcome.status,
        **{k: run.resolved[k] for k in ("scale", "experiment", "pde", "method", "seed")},
        "width": run.network["width"], "depth": run.network["depth"],
        "iterations": run.iterations, "steps_completed": int(last.get("step", 0)),
        "diverged_at_step": outcome.diverged_at,
        "final": {k: _clean(v) for k, v in last.items() if k.startswith(("loss", "l2re"))},
        "best_logged_l2re": _clean(float(finite["l2re"].min())) if len(finite) else None,
        "wall_time_s": round(outcome.wall_time_s, 3),
        "resumed_from_step": outcome.resumed_from,
        **provenance(),
        "config": run.resolved,
        "sha256": {RUN_FILES[name]: sha256(directory / RUN_FILES[name]) for name in HASHED},
    }
    (directory / RUN_FILES["summary"]).write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return summary


def finish(directory: Path | str, run, outcome) -> dict:
    """Write a finished run's artifacts and remove its checkpoint, which has served its purpose; return the
    summary."""
    summary = write_run(Path(directory), run, outcome)
    (Path(directory) / CHECKPOINT_FILE).unlink(missing_ok=True)
    final = summary["final"].get("l2re")
    print(f"[pinnlab] {run.label}: status {summary['status']}, final L2RE "
          f"{final if final is None else f'{final:.3e}'}, {summary['wall_time_s']:.1f} s", flush=True)
    return summary


def read_summary(path: Path | str) -> dict:
    """A run's ``summary.json``; a missing, corrupt or foreign file is a ``PinnlabError`` that says how to re-make
    the run (or, for a file that is no run summary, what to give instead)."""
    path = Path(path)
    if path.name != RUN_FILES["summary"]:
        raise PinnlabError(f"{path} is not a run summary: give the {RUN_FILES['summary']} of a run directory "
                           "(results/<scale>/<experiment>/<pde>/<method>/w<width>/s<seed>/)")
    if not path.exists():
        raise PinnlabError(f"missing run summary {path}; make it with `{remake(path)}` (its training rule)")
    try:
        summary = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PinnlabError(f"run summary {path} is corrupt ({exc}); re-make the run with `{remake(path)}`") from exc
    if not isinstance(summary, dict) or summary.get("status") not in SUMMARY_STATUSES:
        raise PinnlabError(f"{path} is not a complete run summary (no valid status); re-make the run with "
                           f"`{remake(path)}`")
    if not isinstance(summary.get("sha256"), dict):
        raise PinnlabError(f"run summary {path} records no SHA-256 of its files (written before they were recorded); "
                           f"re-make the run with `{remake(path)}`")
    return summary


def checked_run_file(path: Path | str, summary_path: Path | str) -> Path:
    """``path`` (the run's ``params.npz`` or ``metrics.csv``), once it matches the SHA-256 that the run's summary
    ``summary_path`` recorded."""
    path = Path(path)
    recorded = read_summary(summary_path)["sha256"].get(path.name)
    if not path.is_file():
        raise PinnlabError(f"missing {path}, a file of the run {summary_path}; re-make the run with "
                           f"`{remake(summary_path)}`")
    if sha256(path) != recorded:
        raise PinnlabError(f"{path} does not match the SHA-256 that {summary_path} recorded (changed or cut short "
                           f"after its run wrote it); re-make the run with `{remake(summary_path)}`")
    return path


def read_metrics(path: Path | str, summary_path: Path | str) -> pd.DataFrame:
    """A run's ``metrics.csv``, checked against its summary."""
    return pd.read_csv(checked_run_file(path, summary_path))


def run_problems(directory: Path | str) -> list[str]:
    """What is wrong with the finished run in ``directory``: one message per missing, corrupt or changed file."""
    summary = Path(directory) / RUN_FILES["summary"]
    try:
        read_summary(summary)
    except PinnlabError as exc:
        return [str(exc)]
    problems = []
    for name in HASHED:
        try:
            checked_run_file(Path(directory) / RUN_FILES[name], summary)
        except PinnlabError as exc:
            problems.append(str(exc))
    return problems


def load_warm_start(directory: Path | str) -> WarmStart:
    """The finished run in ``directory`` as a ``WarmStart`` for a run that continues it."""
    directory = Path(directory)
    summary_path = directory / RUN_FILES["summary"]
    summary = read_summary(summary_path)
    metrics = read_metrics(directory / RUN_FILES["metrics"], summary_path).to_dict("records")
    params_path = checked_run_file(directory / RUN_FILES["params"], summary_path)
    return WarmStart(params_path=params_path, metrics=metrics,
                     step=int(metrics[-1]["step"]) if summary["status"] == "ok" else summary["steps_completed"],
                     wall_time_s=float(summary["wall_time_s"]), status=summary["status"],
                     diverged_at=summary.get("diverged_at_step"))
