"""Run artifacts, as DESIGN.md's contract: a run directory (``pinnlab.layout``) holding ``params.npz``,
``metrics.csv`` and ``summary.json`` (the run's provenance record, software versions, status, final numbers).
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from pathlib import Path

import jax
import pandas as pd

from pinnlab.errors import PinnlabError
from pinnlab.layout import CHECKPOINT_FILE, RUN_FILES
from pinnlab.training import checkpoint
from pinnlab.training.run import WarmStart

SUMMARY_STATUSES = ("ok", "diverged")


def provenance() -> dict:
    """Software versions, git commit and device of this process."""
    import flax
    import optax

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):  # a copy without .git (a device machine) may be told its commit
        commit = os.environ.get("PINNLAB_GIT_COMMIT", "unknown")
    device = jax.devices()[0]
    return {"versions": {"python": platform.python_version(), "jax": jax.__version__, "flax": flax.__version__,
                         "optax": optax.__version__},
            "git_commit": commit, "device": f"{device.platform}:{device.device_kind}",
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
    path = Path(path)
    if not path.exists():
        raise PinnlabError(f"missing run summary {path}; it is made by the training rule (snakemake {path})")
    try:
        summary = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise PinnlabError(f"run summary {path} is corrupt ({exc}); delete its run directory and re-run") from exc
    if summary.get("status") not in SUMMARY_STATUSES:
        raise PinnlabError(f"run summary {path} has no valid status; delete its run directory and re-run")
    return summary


def load_warm_start(directory: Path | str) -> WarmStart:
    """The finished run in ``directory`` as a ``WarmStart`` for a run that continues it."""
    directory = Path(directory)
    summary = read_summary(directory / RUN_FILES["summary"])
    metrics_path = directory / RUN_FILES["metrics"]
    if not metrics_path.exists():
        raise PinnlabError(f"missing {metrics_path}; it is made by the training rule of that run")
    metrics = pd.read_csv(metrics_path).to_dict("records")
    return WarmStart(params_path=directory / RUN_FILES["params"], metrics=metrics,
                     step=int(metrics[-1]["step"]) if summary["status"] == "ok" else summary["steps_completed"],
                     wall_time_s=float(summary["wall_time_s"]), status=summary["status"],
                     diverged_at=summary.get("diverged_at_step"))
