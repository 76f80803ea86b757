"""Fig. 1a's runs: Adam on a ``fig1a.depth``-hidden-layer network of each width, with the NTK-drift probe
(``pinnlab.diagnostics.ntk.drift_probe``) recording ΔK(t) of K_rr and K_uu at every metrics row. Rule
``train_fig1a``; the figure is ``pinnlab.report.fig1a``'s.

The points are those of the PDE's Table-2 protocol at this scale; the network, budget and Adam schedule come from
the scale's ``fig1a`` block.
"""

from __future__ import annotations

from pathlib import Path

from pinnlab.config import protocol, scale_config
from pinnlab.diagnostics.ntk import drift_probe
from pinnlab.experiments.runs import build_run, train_and_write
from pinnlab.layout import RunKey
from pinnlab.pdes import pde_from_config
from pinnlab.training.methods import build_phases
from pinnlab.training.run import Run

CHECKPOINTS_PER_RUN = 5
"""A Fig. 1a run is short: a checkpoint at every fifth of it bounds what an interruption loses."""


def resolve(cfg: dict, scale: str, pde_name: str, width: int, seed: int) -> Run:
    block = scale_config(cfg, scale)["fig1a"]
    every = block["log_every"]
    proto = dict(protocol(cfg, scale, pde_name), network={"depth": block["depth"], "width": width},
                 iterations=block["iterations"], adam=block["adam"], log_every=every,
                 checkpoint_every=every * max(1, block["iterations"] // every // CHECKPOINTS_PER_RUN))
    kp = block["kernel_points"]
    return build_run(cfg, RunKey(scale, "fig1a", pde_name, "adam", width, seed), pde_from_config(cfg, pde_name),
                     phases=build_phases("adam", proto), network=proto["network"], points=proto["points"],
                     log_every=every, checkpoint_every=proto["checkpoint_every"],
                     settings=dict(proto, kernel_points=kp), probes=[drift_probe(kp["n_res"], kp["n_conditions"])])


def train_fig1a(job) -> list[dict]:
    """One run: ``results/<scale>/fig1a/<pde>/adam/w<width>/s<seed>/``, ΔK columns in its metrics."""
    w = job.wildcards
    run = resolve(job.config, w.scale, w.pde, int(w.width), int(w.seed))
    return train_and_write([run], job.input.reference, [Path(job.output.summary).parent])
