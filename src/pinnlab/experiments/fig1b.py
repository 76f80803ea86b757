"""Fig. 1b's numbers (rule ``fig1b_norms``): ‖∇²L_r‖ at initialisation for one-hidden-layer tanh networks
(Glorot, zero biases) of several widths, L_r the residual term alone (``loss_convention``: mean r², or ½ mean r²,
which halves the norms), on the residual points of the PDE's Table-2 protocol drawn with the seed — the target
paper's Fig. 1b: "the spectral norm of ∇²L_r at initialisation … for one layer networks" — and its two parts.

With L_r = c · mean r_i² over N points (c = 1 or ½),

    ∇²L_r = G + R,   G = (2c/N) J_rᵀJ_r (Gauss–Newton),   R = (2c/N) Σ_i r_i ∇²r_i (residual curvature).

‖G‖ is (2c/N) times the largest eigenvalue of the NTK's residual block J_r J_rᵀ. R carries the residuals' Hessians
∇²r_i, which the target's Thm 3 is about (they vanish with width for a linear PDE in the lazy regime, not for a
degree-2 nonlinearity), but also the residuals themselves: R = 0 wherever r = 0. ``curvature_per_residual`` =
‖R‖ / (2c · rms r) = ‖(1/N) Σ_i (r_i / rms r) ∇²r_i‖ takes their size out: the residual Hessians averaged with weights
of unit mean square. Each norm is the largest |Ritz value| of a Lanczos process on matrix-free products
(``pinnlab.diagnostics.hessian``; R is indefinite, and Lanczos finds both ends of its spectrum). The figure is
``pinnlab.report.fig1b``'s.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab.config import protocol, scale_config
from pinnlab.curvature import gauss_newton_vp, hvp, residual_curvature_vp
from pinnlab.diagnostics.hessian import spectral_norm
from pinnlab.losses import check_convention
from pinnlab.nets import make_network
from pinnlab.pdes import pde_from_config
from pinnlab.sampling import PointSpec, fixed_points

PARTS = ("hessian", "gauss_newton", "curvature")  # ∇²L_r, G, R


def hessian_parts(residuals, w, factor: float) -> dict:
    """The matvecs of ∇²L_r, G and R at ``w`` for L_r(w) = factor · mean r(w)²."""
    r = residuals(w)
    scale = 2 * factor / r.shape[0]

    def loss(x):
        return factor * jnp.mean(residuals(x) ** 2)

    return {"hessian": lambda v: hvp(loss, w, v),
            "gauss_newton": lambda v: scale * gauss_newton_vp(residuals, w, v),
            "curvature": lambda v: residual_curvature_vp(residuals, w, scale * r, v)}


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
            def norms_at(flat, points, key):
                def residuals(w):
                    u = net.bind(unravel(w))
                    return jax.vmap(lambda z: pde.residual(u, z))(points)

                out = {name: spectral_norm(mv, flat.size, iterations, key, dtype)
                       for name, mv in hessian_parts(residuals, flat, factor).items()}
                return out, jnp.sqrt(jnp.mean(residuals(flat) ** 2))

            for seed in seeds:
                _, params = make_network(pde.dim, width, 1, seed)
                flat, _ = ravel_pytree(jax.tree.map(lambda x: x.astype(dtype), params))
                points = jnp.asarray(fixed_points(pde, point_spec, seed)["res"], dtype)
                out, rms = norms_at(flat, points, jax.random.key(seed))
                (h, h_lo, h_hi), (g, _, _), (c, c_lo, c_hi) = ([float(x) for x in out[p]] for p in PARTS)
                rms = float(rms)
                rows.append({"pde": pde.name, "width": width, "seed": seed, "parameters": int(flat.size),
                             "hessian_norm": h, "ritz_min": h_lo, "ritz_max": h_hi, "gauss_newton_norm": g,
                             "curvature_norm": c, "curvature_ritz_min": c_lo, "curvature_ritz_max": c_hi,
                             "residual_rms": rms, "curvature_per_residual": c / (2 * factor * rms) if rms else 0.0,
                             "n_res": point_spec.n_res, "loss_convention": convention,
                             "lanczos_iterations": iterations, "x64": x64})
    return pd.DataFrame(rows)


def fig1b_norms(job) -> pd.DataFrame:
    """``results/<scale>/fig1b/<pde>.csv``: the norms for every width and seed of the scale's ``fig1b`` block."""
    cfg, scale, pde_name = job.config, job.wildcards.scale, job.wildcards.pde
    block = scale_config(cfg, scale)["fig1b"]
    spec = PointSpec.from_config(protocol(cfg, scale, pde_name)["points"])
    table = residual_norms(pde_from_config(cfg, pde_name), spec, block["widths"], range(block["seeds"]),
                           block["lanczos_iterations"], cfg["loss_convention"], block["x64"])
    summary = table.assign(r_over_h=table.curvature_norm / table.hessian_norm).groupby("width")[
        ["hessian_norm", "gauss_newton_norm", "curvature_norm", "r_over_h", "curvature_per_residual"]].median()
    print(f"[pinnlab] ‖∇²L_r‖, ‖G‖, ‖R‖ of {pde_name} (medians over {block['seeds']} seeds):\n{summary.to_string()}",
          flush=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    return table
