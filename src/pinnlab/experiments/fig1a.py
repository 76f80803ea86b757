"""Fig. 1a's runs (the target's Sec. 4): Adam (lr 1e-3 × 0.9^(t/1000), 2,500 steps in the paper) on a network of
each width, with the NTK-drift probe (``pinnlab.diagnostics.ntk.drift_probe``) recording ΔK(t) of the full NTK and
its blocks at every metrics row. Rule ``train_fig1a`` (one run a job) or ``train_fig1a_seeds`` (every seed of a
configuration, PDE and width in one job, where the scale sets ``seeds_together: loop``); the figures are
``pinnlab.report.fig1a``'s.

The target "adapted the code in [5] (Wang et al.)" and calculated "the NTK over 300 random sample-points": as that
code, training draws fresh uniform points at every step (``fig1a.batch``: 300 residual, 100 per condition), and the
kernel is taken on 300 residual and 100 condition points. Each configuration of the network (``layout.
fig1a_configurations``: the headline, closest to the paper, and the sweep of the choices the paper leaves open)
has its own runs, ``results/<scale>/fig1a/<variant>/<pde>/adam/w<width>/s<seed>/``.
"""

from __future__ import annotations

from pathlib import Path

from pinnlab.diagnostics.ntk import drift_probe
from pinnlab.experiments.runs import build_run, train_and_write, train_each
from pinnlab.layout import fig1a_run, fig1a_settings
from pinnlab.pdes import pde_from_config
from pinnlab.training.methods import build_phases
from pinnlab.training.run import Run

CHECKPOINTS_PER_RUN = 5
"""A Fig. 1a run is short: a checkpoint at every fifth of it bounds what an interruption loses."""


def resolve(cfg: dict, scale: str, variant: str, pde_name: str, width: int, seed: int) -> Run:
    """The run of configuration ``variant`` (``layout.fig1a_variant``) on ``pde_name`` at ``width`` and ``seed``."""
    block = fig1a_settings(cfg, scale, variant)
    network = dict(block["network"], width=width)
    every = block["log_every"]
    points = {"kind": "uniform", "resample": True, **block["batch"]}
    proto = {"network": network, "points": points, "iterations": block["iterations"], "adam": block["adam"],
             "log_every": every,
             "checkpoint_every": every * max(1, block["iterations"] // every // CHECKPOINTS_PER_RUN)}
    kp = block["kernel_points"]
    return build_run(cfg, fig1a_run(scale, variant, pde_name, width, seed), pde_from_config(cfg, pde_name),
                     phases=build_phases("adam", proto), network=network, points=points, log_every=every,
                     checkpoint_every=proto["checkpoint_every"],
                     settings=dict(proto, kernel_points=kp, variant=variant),
                     probes=[drift_probe(kp["n_res"], kp["n_conditions"])])


def train_fig1a(job) -> list[dict]:
    """One run: ``results/<scale>/fig1a/<variant>/<pde>/adam/w<width>/s<seed>/``, ΔK columns in its metrics."""
    w = job.wildcards
    run = resolve(job.config, w.scale, w.variant, w.pde, int(w.width), int(w.seed))
    return train_and_write([run], job.input.reference, [Path(job.output.summary).parent])


def train_fig1a_seeds(job) -> list[dict]:
    """Every seed (``params.seeds``) of a configuration, PDE and width, one after another in this job."""
    w = job.wildcards
    runs = [resolve(job.config, w.scale, w.variant, w.pde, int(w.width), seed) for seed in job.params.seeds]
    return train_each(runs, job.input.reference, [Path(p).parent for p in job.output.summaries])
