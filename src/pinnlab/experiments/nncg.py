"""NNCG faithful vs inexact (rule ``nncg_comparison``): the source's CG setting against the inexact-Newton one, from
the same start, on each PDE of the block (the figure is ``pinnlab.report.nncg``'s).

Both continue the same finished Adam+L-BFGS run (seed 0 of Table 2) and differ only in the CG stopping
rule (``pinnlab.optim.nncg``): ``faithful`` runs CG to 1e-16 or 1,000 iterations as Rathore et al.;
``inexact`` stops at an Eisenstat–Walker forcing term with a small cap. Compilation is excluded from the
timings (the step is compiled ahead of time); each iteration is timed after it has finished.

The summary compares them after the same budget (issue #15: what justifies the inexact setting at the paper
scale): the loss and L2RE of each setting at the faithful run's wall time and at its iteration count, the final
ones, and the time each needs to reach the faithful setting's final loss.
"""

from __future__ import annotations

import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from pinnlab.config import scale_config
from pinnlab.evaluate import load_reference
from pinnlab.experiments import table2
from pinnlab.optim.nncg import NNCG, NNCGSettings
from pinnlab.training import checkpoint
from pinnlab.training.run import Phase
from pinnlab.training.trainer import Trainer

SETTINGS = ("faithful", "inexact")


def nncg_trace(run, reference, nncg_settings: dict, steps: int) -> pd.DataFrame:
    """Loss, wall time and CG iterations after each NNCG iteration from ``run.warm_start``."""
    cfg = dict(nncg_settings)
    cfg.pop("steps", None)
    phase = Phase("nncg", steps, NNCG(NNCGSettings(**cfg)))
    trainer = Trainer(run, reference)
    params = checkpoint.load_params(run.warm_start.params_path, trainer.params0)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    state = phase.optimizer.init(params)
    start = jnp.int32(run.warm_start.step)
    compiled = trainer.compiled_chunk(phase, 1).lower(params, state, weights, start, trainer.data).compile()

    def chunk(p, s, w, k):  # compiled before timing: the trace measures iterations, not compilation
        return compiled(p, s, w, k, trainer.data)

    start_row = trainer.metrics_row(run.warm_start.step, phase, 0.0, params, weights)
    rows = [{"iteration": 0, "wall_time_s": 0.0, "loss": float(start_row["loss"]), "l2re": float(start_row["l2re"]),
             "cg_iterations": 0}]
    wall = 0.0
    for k in range(1, steps + 1):
        t0 = time.perf_counter()
        (params, state, weights), _ = chunk(params, state, weights, start + k - 1)
        jax.block_until_ready(params)
        wall += time.perf_counter() - t0
        row = trainer.metrics_row(run.warm_start.step + k, phase, wall, params, weights, state)
        rows.append({"iteration": k, "wall_time_s": wall, "loss": row["loss"], "l2re": row["l2re"],
                     "cg_iterations": row["cg_iterations"], "step_size": row["step_size"]})
        if not np.isfinite(row["loss"]):
            break
    return pd.DataFrame(rows)


def _at(t: pd.DataFrame, column: str, bound: float) -> pd.Series:
    """The last row of trace ``t`` whose ``column`` is at most ``bound`` (the state after that budget)."""
    return t[t[column] <= bound + 1e-12].iloc[-1]


def time_to_loss(traces: pd.DataFrame) -> pd.DataFrame:
    """Per setting: the loss and L2RE at the faithful run's budget (its wall time; its iterations), at the end, and
    the seconds to reach the faithful setting's final loss (NaN if never)."""
    faithful = traces[traces.setting == "faithful"]
    target, seconds, iterations = (faithful.loss.iloc[-1], faithful.wall_time_s.iloc[-1],
                                   faithful.iteration.iloc[-1])
    out = []
    for setting, t in traces.groupby("setting", sort=False):
        reached = t[t.loss <= target]
        same_time, same_iterations = _at(t, "wall_time_s", seconds), _at(t, "iteration", iterations)
        out.append({"setting": setting, "iterations": int(t.iteration.max()),
                    "final_loss": float(t.loss.iloc[-1]), "final_l2re": float(t.l2re.iloc[-1]),
                    "loss_at_faithful_time": float(same_time.loss), "l2re_at_faithful_time": float(same_time.l2re),
                    "loss_at_faithful_iterations": float(same_iterations.loss),
                    "l2re_at_faithful_iterations": float(same_iterations.l2re), "target_loss": float(target),
                    "seconds_to_target": float(reached.wall_time_s.iloc[0]) if len(reached) else np.nan,
                    "iterations_to_target": int(reached.iteration.iloc[0]) if len(reached) else -1,
                    "mean_cg_iterations": float(t.cg_iterations.iloc[1:].mean()),
                    "seconds_per_iteration": float(t.wall_time_s.iloc[-1] / max(1, t.iteration.max()))})
    table = pd.DataFrame(out)
    faithful_s = table.set_index("setting").seconds_to_target.get("faithful", np.nan)
    table["speedup_vs_faithful"] = faithful_s / table.seconds_to_target
    return table


def nncg_comparison(job) -> None:
    """``traces.csv`` (both settings, every PDE) and ``summary.csv`` (per PDE and setting: the same budget, time to
    the faithful setting's final loss)."""
    cfg, scale = job.config, job.wildcards.scale
    block = scale_config(cfg, scale)["nncg_comparison"]
    traces, summaries = [], []
    for pde, parent, reference_path in zip(block["pdes"], job.input.parents, job.input.references, strict=True):
        run = table2.resolve(cfg, scale, pde, "gdnd", 0, continues=Path(parent).parent)
        reference = load_reference(reference_path)
        base = scale_config(cfg, scale)["protocols"][pde]["nncg"]
        mine = []
        for setting in SETTINGS:
            settings = base | block[setting]
            trace = nncg_trace(run, reference, settings, settings["steps"]).assign(setting=setting, pde=pde)
            print(f"[pinnlab] NNCG {pde} {setting}: loss {trace.loss.iloc[0]:.3e} → {trace.loss.iloc[-1]:.3e} in "
                  f"{trace.wall_time_s.iloc[-1]:.1f} s", flush=True)
            mine.append(trace)
        mine = pd.concat(mine, ignore_index=True)
        traces.append(mine)
        summaries.append(time_to_loss(mine).assign(pde=pde))
    Path(job.output.traces).parent.mkdir(parents=True, exist_ok=True)
    pd.concat(traces, ignore_index=True).to_csv(job.output.traces, index=False)
    pd.concat(summaries, ignore_index=True).to_csv(job.output.summary, index=False)
