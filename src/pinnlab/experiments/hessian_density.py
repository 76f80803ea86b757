"""Hessian spectral densities after training (rule ``hessian_density``): stochastic Lanczos quadrature of the
full loss Hessian at the final parameters of a Table-2 run — Rathore et al.'s Fig. 2, after Adam and after
Adam+L-BFGS. The figure is ``pinnlab.report.hessian_density``'s.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab.config import scale_config
from pinnlab.curvature import hvp
from pinnlab.diagnostics.hessian import lanczos, ritz, slq_density
from pinnlab.experiments import table2
from pinnlab.losses import loss_terms, weighted_total
from pinnlab.nets import network_for
from pinnlab.sampling import fixed_points
from pinnlab.training import checkpoint
from pinnlab.training.artifacts import checked_run_file

SUPPORT = 1e-12
"""The density is stored where it exceeds this fraction of its peak: the fine grid is mostly empty between
outliers."""


def trained_density(run, params_path, runs: int, iterations: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(density on a grid, the Ritz nodes and weights) of the full-loss Hessian at a run's final parameters."""
    net, template = network_for(run.pde, run.network, run.seed)
    params = checkpoint.load_params(params_path, template)
    flat, unravel = ravel_pytree(params)
    points = {k: jnp.asarray(v) for k, v in fixed_points(run.pde, run.points, run.seed).items()}
    weights = {k: 1.0 for k in run.pde.term_names()}

    def f(w):
        return weighted_total(loss_terms(run.pde, net, unravel(w), points, run.loss_convention), weights)

    one = jax.jit(lambda key: ritz(*lanczos(lambda v: hvp(f, flat, v), flat.size, iterations, key)))
    results = [one(jax.random.key(1000 * seed + r)) for r in range(runs)]
    nodes = np.stack([np.asarray(r[0]) for r in results])
    node_weights = np.stack([np.asarray(r[1]) for r in results])
    grid, density = slq_density(nodes, node_weights)
    ritz_table = pd.DataFrame({"run": np.repeat(np.arange(runs), nodes.shape[1]), "node": nodes.ravel(),
                               "weight": node_weights.ravel()})
    keep = density > SUPPORT * density.max()
    return pd.DataFrame({"eigenvalue": grid[keep], "density": density[keep]}), ritz_table


def hessian_density(job) -> None:
    """``<method>.csv`` (density) and ``<method>_ritz.csv`` (Ritz nodes and weights) of one Table-2 run."""
    cfg, w = job.config, job.wildcards
    block = scale_config(cfg, w.scale)["hessian_density"]
    continues = job.input.get("continues")
    run = table2.resolve(cfg, w.scale, w.pde, w.method, block["seed"],
                         None if continues is None else Path(continues).parent)
    params = checked_run_file(job.input.params, job.input.summary)
    density, nodes = trained_density(run, params, block["runs"], block["lanczos_iterations"], block["seed"])
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    density.assign(pde=w.pde, method=w.method).to_csv(job.output.csv, index=False)
    nodes.assign(pde=w.pde, method=w.method).to_csv(job.output.ritz, index=False)
