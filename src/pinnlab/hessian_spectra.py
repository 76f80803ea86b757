"""Fig. 1b and the loss-landscape densities: Hessian spectra of PINN losses by Lanczos.

- ``residual_norms``: ‖∇²L_r‖ at initialisation for one-hidden-layer tanh networks (Glorot, zero biases) of
  several widths, L_r the residual term alone (``loss_convention``: mean r², or ½ mean r², which halves the
  norm), on the residual points of the PDE's Table-2 protocol drawn with the seed (the target paper's Fig. 1b:
  "the spectral norm of ∇²L_r at initialisation … for one layer networks").
- ``trained_density``: the SLQ spectral density of the full loss Hessian at the final parameters of a Table-2
  run (Rathore et al.'s Fig. 2: after Adam and after Adam+L-BFGS).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab import checkpoint
from pinnlab.curvature import hvp
from pinnlab.diagnostics.hessian import lanczos, ritz, slq_density, spectral_norm
from pinnlab.losses import check_convention, loss_terms, weighted_total
from pinnlab.nets import make_network, network_for
from pinnlab.sampling import PointSpec, fixed_points


def residual_norms(pde, point_spec: PointSpec, widths, seeds, iterations: int, convention: str = "mean",
                   x64: bool = False) -> pd.DataFrame:
    rows = []
    dtype = jnp.float64 if x64 else jnp.float32
    factor = check_convention(convention)
    with jax.enable_x64(x64):
        for width in widths:
            net, params0 = make_network(pde.dim, width, 1, 0)
            _, unravel = ravel_pytree(jax.tree.map(lambda x: x.astype(dtype), params0))

            @jax.jit  # compiled once per width: the seeds differ only in the arrays
            def norm_at(flat, points, key):
                def residual_loss(w):
                    u = net.bind(unravel(w))
                    return factor * jnp.mean(jax.vmap(lambda z: pde.residual(u, z))(points) ** 2)

                return spectral_norm(lambda v: hvp(residual_loss, flat, v), flat.size, iterations, key, dtype)

            for seed in seeds:
                _, params = make_network(pde.dim, width, 1, seed)
                flat, _ = ravel_pytree(jax.tree.map(lambda x: x.astype(dtype), params))
                points = jnp.asarray(fixed_points(pde, point_spec, seed)["res"], dtype)
                norm, lo, hi = norm_at(flat, points, jax.random.key(seed))
                rows.append({"pde": pde.name, "width": width, "seed": seed, "parameters": int(flat.size),
                             "hessian_norm": float(norm), "ritz_min": float(lo), "ritz_max": float(hi),
                             "n_res": point_spec.n_res, "loss_convention": convention,
                             "lanczos_iterations": iterations, "x64": x64})
    return pd.DataFrame(rows)


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
    keep = density > 1e-12 * density.max()  # the fine grid is mostly empty between outliers: store the support
    return pd.DataFrame({"eigenvalue": grid[keep], "density": density[keep]}), ritz_table
