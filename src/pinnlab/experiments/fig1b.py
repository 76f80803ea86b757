"""Fig. 1b's numbers (rule ``fig1b_norms``): ‖∇²L_r‖ at initialisation for one-hidden-layer tanh networks
(Glorot, zero biases) of several widths, L_r the residual term alone (``loss_convention``: mean r², or ½ mean r²,
which halves the norm), on the residual points of the PDE's Table-2 protocol drawn with the seed — the target
paper's Fig. 1b: "the spectral norm of ∇²L_r at initialisation … for one layer networks". The largest |Ritz value|
of a Lanczos process on Hessian-vector products (``pinnlab.diagnostics.hessian``). The figure is
``pinnlab.report.fig1b``'s.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab.config import protocol, scale_config
from pinnlab.curvature import hvp
from pinnlab.diagnostics.hessian import spectral_norm
from pinnlab.losses import check_convention
from pinnlab.nets import make_network
from pinnlab.pdes import pde_from_config
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


def fig1b_norms(job) -> pd.DataFrame:
    """``results/<scale>/fig1b/<pde>.csv``: the norm for every width and seed of the scale's ``fig1b`` block."""
    cfg, scale, pde_name = job.config, job.wildcards.scale, job.wildcards.pde
    block = scale_config(cfg, scale)["fig1b"]
    spec = PointSpec.from_config(protocol(cfg, scale, pde_name)["points"])
    table = residual_norms(pde_from_config(cfg, pde_name), spec, block["widths"], range(block["seeds"]),
                           block["lanczos_iterations"], cfg["loss_convention"], block["x64"])
    print(f"[pinnlab] ‖∇²L_r‖ of {pde_name}:\n{table.groupby('width').hessian_norm.describe().to_string()}",
          flush=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    return table
