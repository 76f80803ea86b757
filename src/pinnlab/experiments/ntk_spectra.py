"""NTK spectra of PINNs and their infinite-width limit (Wang, Yu and Perdikaris, JCP 2022, Sec. 4–7); rule
``ntk_spectra`` (the figures are ``pinnlab.report.ntk_spectra``'s).

For one-hidden-layer tanh networks (standard parameterisation) on Poisson-1D and the wave equation:
- ``block_spectra``: per setup (initialisation × input scaling) and seed, the eigenvalues of every diagonal block
  K_ii (K_rr of the residual, K_uu of each condition) at initialisation and its trace Tr(K_ii) — the quantity of
  Algorithm 1 (λ_b = Tr(K)/Tr(K_uu)), computed by the same ``diagnostics.ntk.trace`` as PINN-NTK weighting. Their
  Poisson code (``PINNsNTK_Poisson1D.ipynb``; Sec. 7.2 has λ_b ≈ Tr(K_rr)/Tr(K_uu) ≈ 100) standardises the inputs
  and draws W ~ N(0, 1/fan_in), b ~ N(0, 1): setup ``init: lecun, input_normalization: standardize`` (the domain's
  exact mean and std); the other setups (unscaled inputs, the target's Glorot) are computed beside it.
- ``width_limit``: with width, the spread of K(0) across seeds (‖K_s(0) − K̄(0)‖_F / ‖K̄(0)‖_F) and the
  relative change ΔK of K after full-batch gradient descent (their Fig. 2): both fall for a linear PDE as the
  kernel becomes deterministic and constant.
Gradient descent uses the step η = 0.1 / λ_max(D^½ K(0) D^½), D = diag(2 / n_i) — a twentieth of the largest
stable step of the linearised dynamics of the mean-squared loss — so every width takes the same step in function space.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab.config import scale_config
from pinnlab.diagnostics.ntk import condition_and_residual_points, jacobian, relative_change, term_function, trace
from pinnlab.losses import loss_terms
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde

# Fraction of the linearised stability limit used as the GD step (measured: 0.5 diverges on Poisson-1D at
# widths ≥ 100, where the large initial residual makes the loss far from its linearisation).
LR_FACTOR = 0.1
POINTS_SEED = 10_000
"""The kernel points are the same for every seed and width (drawn with this seed): K(0) then varies only through
the initialisation."""


def _setup(pde, width: int, seed: int, n_res: int, n_conditions: int, init: str = "glorot",
           input_normalization: str = "none"):
    net, params = make_network(pde.dim, width, 1, seed, lower=pde.lower, upper=pde.upper, init=init,
                               input_normalization=input_normalization)
    points = condition_and_residual_points(pde, n_res, n_conditions, jax.random.key(POINTS_SEED))
    terms = pde.term_names()
    fns = {t: term_function(pde, net, t) for t in terms}

    def jacobians(p):
        return {t: jacobian(fns[t], p, points[t]) for t in terms}

    return net, params, points, terms, jax.jit(jacobians)


def block_spectra(pde, width: int, seeds, n_res: int, n_conditions: int, setup: dict) -> pd.DataFrame:
    """Per seed and diagonal block K_ii at initialisation: its eigenvalues (descending) and its trace.

    ``setup``: ``name``, ``init`` and ``input_normalization`` of the network. The trace comes from per-sample
    gradient norms (``diagnostics.ntk.trace``, what Algorithm 1 computes), not from the eigenvalues: their sum
    checks it.
    """
    init, scaling = setup["init"], setup["input_normalization"]
    net, _, points, terms, jacobians = _setup(pde, width, 0, n_res, n_conditions, init, scaling)
    traces = jax.jit(lambda p: {t: trace(term_function(pde, net, t), p, points[t]) for t in terms})
    rows = []
    for seed in seeds:
        # Same graph for every seed (width, init, scaling): only the parameters change, so nothing recompiles.
        params = make_network(pde.dim, width, 1, seed, lower=pde.lower, upper=pde.upper, init=init,
                              input_normalization=scaling)[1]
        block_traces = traces(params)
        for term, jac in jacobians(params).items():
            eig = np.sort(np.linalg.eigvalsh(np.asarray(jac @ jac.T, np.float64)))[::-1]
            rows.append(pd.DataFrame({
                "pde": pde.name, "setup": setup["name"], "init": init, "input_normalization": scaling,
                "width": width, "seed": seed, "block": term, "n_points": len(eig),
                "trace": float(block_traces[term]), "index": np.arange(len(eig)), "eigenvalue": eig}))
    return pd.concat(rows, ignore_index=True)


def width_limit(pde, widths, seeds, n_res: int, n_conditions: int, gd_steps: int, init: str = "glorot") -> pd.DataFrame:
    """Per width and seed: K(0) spread across seeds and ΔK after ``gd_steps`` of gradient descent."""
    rows = []
    for width in widths:
        kernels0 = []
        for seed in seeds:
            net, params, points, terms, jacobians = _setup(pde, width, seed, n_res, n_conditions, init)

            def full_kernel(p):
                jac = jnp.concatenate(list(jacobians(p).values()))
                return jac @ jac.T

            k0 = full_kernel(params)
            scale = jnp.sqrt(jnp.concatenate([jnp.full(len(points[t]), 2.0 / len(points[t])) for t in terms]))
            lr = LR_FACTOR / jnp.max(jnp.linalg.eigvalsh(scale[:, None] * k0 * scale[None, :]))
            flat, unravel = ravel_pytree(params)

            def loss(w):
                return sum(loss_terms(pde, net, unravel(w), points).values())

            def step(w, _):
                value, g = jax.value_and_grad(loss)(w)
                return w - lr * g, value

            w_end, trace = jax.lax.scan(step, flat, None, length=gd_steps)
            change = relative_change(k0, full_kernel(unravel(w_end)))
            kernels0.append(np.asarray(k0, np.float64))
            rows.append({"pde": pde.name, "width": width, "seed": seed, "init": init, "lr": float(lr),
                         "loss_start": float(trace[0]), "loss_end": float(loss(w_end)),
                         "delta_k_spectral": float(change["spectral"]), "delta_k_frobenius": float(change["frobenius"]),
                         "param_change": float(jnp.linalg.norm(w_end - flat) / jnp.linalg.norm(flat))})
        mean = np.mean(kernels0, axis=0)
        for row, k in zip(rows[-len(seeds):], kernels0):
            row["k0_spread"] = float(np.linalg.norm(k - mean) / np.linalg.norm(mean))
    return pd.DataFrame(rows)


def ntk_spectra(job) -> None:
    """``eigenvalues.csv`` (block spectra and traces at initialisation, per setup and seed) and ``width_limit.csv``
    (per init, unscaled inputs) for every problem."""
    block = scale_config(job.config, job.wildcards.scale)["ntk_spectra"]
    seeds = range(block["seeds"])
    spectra, limits = [], []
    for problem in block["problems"]:
        pde = make_pde(problem["pde"], **problem["constants"])
        for setup in block["setups"]:
            eig = block_spectra(pde, block["spectrum_width"], seeds, block["n_res"], block["n_conditions"], setup)
            per_seed = eig.groupby(["seed", "block"]).trace.first().unstack()
            ratios = per_seed["res"] / per_seed.drop(columns="res").sum(axis=1)
            print(f"[pinnlab] {pde.name} ({setup['name']}): Tr(K_rr) / Tr(K_conditions) over seeds "
                  f"{', '.join(f'{r:.3g}' for r in ratios)}", flush=True)
            spectra.append(eig)
        for init in block["inits"]:
            wl = width_limit(pde, block["widths"], seeds, block["n_res"], block["n_conditions"],
                             block["gd_steps"], init)
            print(f"[pinnlab] {pde.name} ({init}):\n"
                  f"{wl.groupby('width')[['k0_spread', 'delta_k_spectral']].mean().to_string()}", flush=True)
            limits.append(wl)
    Path(job.output.eigenvalues).parent.mkdir(parents=True, exist_ok=True)
    pd.concat(spectra).to_csv(job.output.eigenvalues, index=False)
    pd.concat(limits).to_csv(job.output.width_limit, index=False)
