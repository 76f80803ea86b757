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

import hashlib
import json
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab import import_graph, integrity
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


def _code_hash() -> str:
    """The hash of this module's import closure: rows computed by other code are not resumed."""
    digest = hashlib.sha256()
    for path in import_graph.code_inputs(__name__):
        digest.update(integrity.sha256(path).encode())
    return digest.hexdigest()[:16]


def _resumed(progress: Path | None, settings: dict) -> list[dict]:
    """The rows an interrupted job of the same settings and code wrote to ``progress`` (JSON lines: the settings,
    then a row per width and seed); none when there is no such file. A torn last line (killed mid-write) is
    dropped."""
    if progress is None or not progress.exists():
        return []
    lines = progress.read_text().splitlines()
    try:
        if not lines or json.loads(lines[0]) != settings:
            return []
    except json.JSONDecodeError:
        return []
    rows = []
    for line in lines[1:]:
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return rows


def residual_norms(pde, point_spec: PointSpec, widths, seeds, iterations: int, convention: str = "mean",
                   x64: bool = False, progress: Path | None = None) -> pd.DataFrame:
    """The norms per width and seed. With ``progress``, each finished (width, seed) is appended to that file and a
    re-run with the same settings and code continues after the last one (a paper-scale PDE takes CPU-hours)."""
    settings = {"pde": pde.name, "points": repr(point_spec), "iterations": iterations, "convention": convention,
                "x64": x64, "code": _code_hash() if progress else None}
    rows = _resumed(progress, settings)
    done = {(r["width"], r["seed"]) for r in rows}
    if progress is not None:
        progress.parent.mkdir(parents=True, exist_ok=True)
        progress.write_text("".join(json.dumps(x) + "\n" for x in [settings, *rows]))
        if rows:
            print(f"[pinnlab] resuming {pde.name}: {len(rows)} of {len(widths) * len(seeds)} (width, seed) pairs "
                  f"from {progress}", flush=True)
    seeds = list(seeds)
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
                if (width, seed) in done:
                    continue
                start = time.perf_counter()
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
                print(f"[pinnlab] {pde.name}: width {width}, seed {seed} in {time.perf_counter() - start:.1f} s "
                      f"({len(rows)} of {len(widths) * len(seeds)})", flush=True)
                if progress is not None:
                    with progress.open("a") as f:
                        f.write(json.dumps(rows[-1]) + "\n")
    order = {(w, s): i for i, (w, s) in enumerate((w, s) for w in widths for s in seeds)}
    return pd.DataFrame(sorted(rows, key=lambda r: order[(r["width"], r["seed"])]))


def fig1b_norms(job) -> pd.DataFrame:
    """``results/<scale>/fig1b/<pde>.csv``: the norms for every width and seed of the scale's ``fig1b`` block."""
    cfg, scale, pde_name = job.config, job.wildcards.scale, job.wildcards.pde
    block = scale_config(cfg, scale)["fig1b"]
    spec = PointSpec.from_config(protocol(cfg, scale, pde_name)["points"])
    progress = Path(job.output.csv).with_suffix(".progress.jsonl")  # not an output: it survives a killed job
    table = residual_norms(pde_from_config(cfg, pde_name), spec, block["widths"], range(block["seeds"]),
                           block["lanczos_iterations"], cfg["loss_convention"], block["x64"], progress)
    summary = table.assign(r_over_h=table.curvature_norm / table.hessian_norm).groupby("width")[
        ["hessian_norm", "gauss_newton_norm", "curvature_norm", "r_over_h", "curvature_per_residual"]].median()
    print(f"[pinnlab] ‖∇²L_r‖, ‖G‖, ‖R‖ of {pde_name} (medians over {block['seeds']} seeds):\n{summary.to_string()}",
          flush=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    progress.unlink(missing_ok=True)
    return table
