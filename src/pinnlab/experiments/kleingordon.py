"""Klein–Gordon and gradient pathologies: models M1–M4 of Wang, Teng and Perdikaris (SIAM JSC 2021, Sec. 3.2).
Rule ``train_kleingordon`` (one run a job) or ``train_kleingordon_seeds`` (every seed of a model in one job, where the
scale sets ``seeds_together: loop``); what the figures and the table show is computed by ``kleingordon_analysis`` and
drawn by ``pinnlab.report.kleingordon``, so that a change there re-runs no training.

M1 plain PINN; M2 learning-rate annealing (the ``annealing`` scheme of ``pinnlab.training.weighting``); M3 the
modified MLP (``nets.ModifiedMLP``); M4 both (``catalog.KLEINGORDON_MODELS``). Every model is a run of the shared
training loop: Adam on fresh uniform batches each step (``batch`` points for the residual and for each condition).

The loss is the source's: L_r + λ_ics (L_ic + L_ic_t) + λ_bcs (L_bc_x0 + L_bc_x1), the two weights shared inside
their groups (``GROUPS``, recorded in every run's provenance so that the report can read them).
"""

from __future__ import annotations

from pathlib import Path

import optax

from pinnlab.catalog import KLEINGORDON_MODELS
from pinnlab.config import scale_config
from pinnlab.errors import unknown_name
from pinnlab.experiments.runs import build_run, check_width, train_and_write, train_each
from pinnlab.layout import RunKey
from pinnlab.pdes import pde_from_config
from pinnlab.sampling import PointSpec
from pinnlab.training.methods import adam_schedule
from pinnlab.training.run import OptaxPhase, Phase, Run

PDE_NAME = "klein_gordon"
GROUPS = {"ics": ("ic", "ic_t"), "bcs": ("bc_x0", "bc_x1")}
"""The source's two weighted loss terms and the condition terms each sums (``Klein_Gordon_model_tf.py``)."""
RUN_SETTINGS = ("network", "batch", "iterations", "adam", "annealing", "log_every", "checkpoint_every")
"""The keys of the ``kleingordon`` block that define a run (not the models, seeds or the analysis's points)."""


def resolve(cfg: dict, scale: str, model: str, seed: int) -> Run:
    if model not in KLEINGORDON_MODELS:
        raise unknown_name("Klein–Gordon model", model, KLEINGORDON_MODELS)
    block = scale_config(cfg, scale)["kleingordon"]
    architecture, annealing = KLEINGORDON_MODELS[model]
    network = dict(block["network"], architecture=architecture)
    weighting = ({"scheme": "annealing", "every": block["annealing"]["every"], "ema": block["annealing"]["ema"],
                  "groups": GROUPS} if annealing else None)
    phase = Phase("adam", block["iterations"], OptaxPhase(optax.adam(adam_schedule(block["adam"]))),
                  weighting=weighting)
    n = block["batch"]
    settings = {k: block[k] for k in RUN_SETTINGS} | {"network": network, "weighting": weighting, "groups": GROUPS}
    return build_run(cfg, RunKey(scale, "kleingordon", PDE_NAME, model, network["width"], seed),
                     pde_from_config(cfg, PDE_NAME), phases=[phase], network=network,
                     points=PointSpec(kind="uniform", n_res=n, n_initial=n, n_boundary=n, resample=True),
                     log_every=block["log_every"], checkpoint_every=block["checkpoint_every"], settings=settings)


def train_kleingordon(job) -> list[dict]:
    """One run: ``results/<scale>/kleingordon/klein_gordon/<model>/w<width>/s<seed>/``."""
    w = job.wildcards
    run = resolve(job.config, w.scale, w.model, int(w.seed))
    check_width(RunKey(w.scale, "kleingordon", PDE_NAME, w.model, w.width, w.seed), run.network["width"])
    return train_and_write([run], job.input.reference, [Path(job.output.summary).parent])


def train_kleingordon_seeds(job) -> list[dict]:
    """Every seed (``params.seeds``) of a model, one after another in this job."""
    w = job.wildcards
    runs = [resolve(job.config, w.scale, w.model, seed) for seed in job.params.seeds]
    check_width(RunKey(w.scale, "kleingordon", PDE_NAME, w.model, w.width, "*"), runs[0].network["width"])
    return train_each(runs, job.input.reference, [Path(p).parent for p in job.output.summaries])
