"""What learning-rate annealing costs (rule ``annealing_cost``): ms per training step of the Klein–Gordon models
M1–M4, timed in a job that has the machine to itself.

Wall times of training jobs cannot decide the claim: DAG jobs share cores, and their neighbours change a job's time
by more than the claimed 5–10 %. Here each model's compiled chunk of ``steps`` Adam steps (the training loop's own
program, from the initialisation; metrics excluded) is timed ``repeats`` times, the models interleaved
(M1 M2 M3 M4 M1 M2 …) so that a slow spell of the machine hits every model alike. The rule asks for every core, so
Snakemake runs nothing beside it; what else ran on the machine (another invocation, another user) is measured per
round (``others_busy_cores``, ``pinnlab.host_load``), and the claim refuses a contended timing. The claim reads the
tidy table (one row per model and repeat).
"""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from pinnlab.catalog import KLEINGORDON_MODELS
from pinnlab.evaluate import Reference
from pinnlab.experiments.kleingordon import resolve
from pinnlab.host_load import OthersBusy
from pinnlab.training.artifacts import provenance
from pinnlab.training.trainer import Trainer


def _chunk(cfg: dict, scale: str, model: str, steps: int):
    """A zero-argument call of ``steps`` compiled steps of ``model`` (seed 0), compiled by its first call."""
    run = resolve(cfg, scale, model, 0)
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(run.pde.lower, run.pde.upper))
    trainer = Trainer(run, Reference(axes, np.ones([3] * run.pde.dim), {}))  # evaluation is not timed
    phase = run.phases[0]
    chunk = trainer.chunk(phase, steps)
    state = phase.optimizer.init(trainer.params0)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    return lambda: jax.block_until_ready(chunk(trainer.params0, state, weights, jnp.int32(0)))


def step_times(cfg: dict, scale: str, models, steps: int, repeats: int) -> pd.DataFrame:
    """ms per step of each model in each of ``repeats`` interleaved rounds."""
    calls = {m: _chunk(cfg, scale, m, steps) for m in models}
    for call in calls.values():
        call()  # compile
    rows = []
    for r in range(repeats):
        with OthersBusy() as load:
            for m, call in calls.items():
                t0 = time.perf_counter()
                call()
                rows.append({"model": m, "repeat": r, "ms_per_step": (time.perf_counter() - t0) / steps * 1e3})
        for row in rows[-len(calls):]:
            row["others_busy_cores"] = load.cores  # the round's neighbours: the claim refuses a contended timing
    return pd.DataFrame(rows)


def annealing_cost(job) -> pd.DataFrame:
    """``figures/<scale>/kleingordon_annealing_cost.csv``: ms per step per model and repeat, with the device."""
    cost = job.params.block["cost"]
    models = [m for m in KLEINGORDON_MODELS if m in job.params.block["models"]]
    table = step_times(job.config, job.wildcards.scale, models, cost["steps"], cost["repeats"])
    table["steps_per_call"] = cost["steps"]
    table["device"] = provenance()["device"]
    table.to_csv(job.output.csv, index=False)
    best = table.groupby("model").ms_per_step.min()
    print("[pinnlab] annealing cost, best of repeats: " + ", ".join(f"{m} {v:.3f} ms/step" for m, v in best.items())
          + f"; other processes kept a median {table.others_busy_cores.median():.2f} cores busy", flush=True)
    return table
