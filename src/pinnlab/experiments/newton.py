"""The exact-Newton study (rule ``newton_study``): does training a PINN with its exact Hessian reliably fail?

On networks small enough for the full Hessian, four methods start from the same initialisations:
- ``newton``: w ← w − H⁻¹∇L, undamped, unit step — attracted by every stationary point;
- ``damped_newton``: d = (H + μI)⁻¹∇L (replaced by ∇L if not a descent direction), Armijo backtracking;
- ``gauss_newton``: Levenberg–Marquardt on the residual vector, (JᵀJ + λI) d = Jᵀr with λ adapted
  (÷3 after a successful step, ×2 and retry otherwise) — positive semi-definite curvature;
- ``lbfgs``: optax L-BFGS with its zoom line search (``pinnlab.optim.lbfgs``).
Each run ends with its loss, gradient norm and the extreme eigenvalues of the exact Hessian, and is
classified: ``minimum`` (loss near zero, or stationary with λ_min ≥ −tol·λ_max), ``saddle``
(stationary with a clearly negative eigenvalue), ``diverged`` (non-finite or loss grown ×10) or
``not converged``. Everything runs in float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.flatten_util import ravel_pytree

from pinnlab.config import scale_config, schema_defaults
from pinnlab.losses import term_residuals
from pinnlab.nets import make_network
from pinnlab.optim.lbfgs import LBFGS
from pinnlab.optim.nncg import NNCGSettings, armijo
from pinnlab.pdes import PDE, make_pde
from pinnlab.sampling import PointSpec, fixed_points

METHODS = ("newton", "damped_newton", "gauss_newton", "lbfgs")
OUTCOMES = ("minimum", "saddle", "not converged", "diverged")


@dataclass(frozen=True)
class StudySettings:
    width: int
    depth: int
    n_res: int
    n_boundary: int
    iterations: int
    seeds: tuple[int, ...]
    damping: float = schema_defaults("scale", "newton")["damping"]
    grad_tol: float = 1e-6
    eig_tol: float = 1e-6
    loss_tol: float = 1e-5  # relative to the initial loss: a loss this close to 0 is a minimum


def _problem(pde: PDE, settings: StudySettings, seed: int):
    """(residual function r(w, points) with L = ‖r‖², flat initial parameters, the seed's points)."""
    net, params = make_network(pde.dim, settings.width, settings.depth, seed)
    params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
    w0, unravel = ravel_pytree(params)
    spec = PointSpec(kind="qmc", n_res=settings.n_res, n_initial=settings.n_boundary,
                     n_boundary=settings.n_boundary)
    points = {k: jnp.asarray(v, jnp.float64) for k, v in fixed_points(pde, spec, seed).items()}

    def residual_vector(w, points):
        # mean-squared terms: L = Σ_i mean_j r_ij² = ‖r̃‖² with r̃_ij = r_ij / √n_i
        res = term_residuals(pde, net, unravel(w), points)
        return jnp.concatenate([r / jnp.sqrt(r.size) for r in res.values()])

    return residual_vector, w0, points


def _method_runner(method: str, residual_fn, settings: StudySettings):
    """A compiled function (w0, points) -> (final w, loss trace, ‖∇L‖, eigenvalues of ∇²L)."""
    line_search = NNCGSettings(armijo_alpha=1e-4, armijo_beta=0.5, step=1.0, max_backtracks=40)

    def run(w0, points):
        def residual_vector(w):
            return residual_fn(w, points)

        def loss(w):
            r = residual_vector(w)
            return r @ r

        grad, hess, eye = jax.grad(loss), jax.hessian(loss), jnp.eye(w0.size)

        if method == "newton":
            def step(w, _):
                return w - jnp.linalg.solve(hess(w), grad(w)), loss(w)
            carry = w0
        elif method == "damped_newton":
            def step(w, _):
                value, g = jax.value_and_grad(loss)(w)
                d = jnp.linalg.solve(hess(w) + settings.damping * eye, g)
                d = jnp.where(g @ d > 0, d, g)
                return w - armijo(loss, w, value, g, d, line_search) * d, value
            carry = w0
        elif method == "gauss_newton":
            def step(carry, _):
                w, lam = carry
                r, jac = residual_vector(w), jax.jacfwd(residual_vector)(w)
                d = jnp.linalg.solve(jac.T @ jac + lam * eye, jac.T @ r)
                better = loss(w - d) < r @ r
                return (jnp.where(better, w - d, w), jnp.where(better, lam / 3, lam * 2)), r @ r
            carry = (w0, jnp.float64(1e-3))
        elif method == "lbfgs":
            opt = LBFGS(memory=100)

            def objective(p, batch, weights):
                value = loss(p)
                return value, {"loss": value}

            def step(carry, _):
                w, state = carry
                value = loss(w)
                w, state, _ = opt.step(objective, w, state, None, None)
                return (w, state), value
            carry = (w0, opt.init(w0))
        else:
            raise ValueError(f"unknown Newton-study method {method!r}; valid: {METHODS}")

        carry, trace = jax.lax.scan(step, carry, None, length=settings.iterations)
        w = carry[0] if isinstance(carry, tuple) else carry
        return w, jnp.append(trace, loss(w)), jnp.linalg.norm(grad(w)), jnp.linalg.eigvalsh(hess(w))

    return jax.jit(run)


def classify(initial_loss, final_loss, grad_norm, eig_min, eig_max, settings: StudySettings) -> str:
    if not np.isfinite([final_loss, grad_norm, eig_min, eig_max]).all() or final_loss > 10 * initial_loss:
        return "diverged"
    if final_loss <= settings.loss_tol * initial_loss:
        return "minimum"
    if grad_norm <= settings.grad_tol:
        return "minimum" if eig_min >= -settings.eig_tol * abs(eig_max) else "saddle"
    return "not converged"


def run_study(pde: PDE, settings: StudySettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per method × seed with the outcome, the loss trace of every run)."""
    runs, traces = [], []
    with jax.enable_x64(True):
        problems = {seed: _problem(pde, settings, seed) for seed in settings.seeds}
        residual_fn = problems[settings.seeds[0]][0]  # the same function of (w, points) for every seed
        for method in METHODS:
            runner = _method_runner(method, residual_fn, settings)
            for seed, (_, w0, points) in problems.items():
                _, trace, gnorm, eig = (np.asarray(x) for x in runner(w0, points))
                final, gnorm = float(trace[-1]), float(gnorm)
                runs.append({"method": method, "seed": seed, "initial_loss": float(trace[0]), "final_loss": final,
                             "grad_norm": gnorm, "eig_min": float(eig[0]), "eig_max": float(eig[-1]),
                             "n_negative": int(np.sum(eig < -settings.eig_tol * abs(eig[-1]))),
                             "outcome": classify(float(trace[0]), final, gnorm, float(eig[0]), float(eig[-1]),
                                                 settings)})
                traces.append(pd.DataFrame({"method": method, "seed": seed,
                                            "iteration": np.arange(len(trace)), "loss": trace}))
    return pd.DataFrame(runs), pd.concat(traces, ignore_index=True)


def outcome_table(runs: pd.DataFrame) -> pd.DataFrame:
    counts = runs.groupby(["method", "outcome"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(METHODS), columns=list(OUTCOMES), fill_value=0)
    counts["median final loss"] = runs.groupby("method").final_loss.median().reindex(list(METHODS))
    return counts.reset_index()


def newton_study(job) -> None:
    """``runs.csv`` (one row per problem, method and seed), ``traces.csv`` (losses) and ``outcomes.csv`` (counts
    per problem and method, outcomes as columns in ``OUTCOMES`` order)."""
    block = scale_config(job.config, job.wildcards.scale)["newton"]
    settings = StudySettings(width=block["network"]["width"], depth=block["network"]["depth"],
                             n_res=block["n_res"], n_boundary=block["n_boundary"], iterations=block["iterations"],
                             seeds=tuple(range(block["seeds"])), damping=block["damping"])
    runs, traces, tables = [], [], []
    for problem in block["problems"]:
        pde = make_pde(problem["pde"], **problem["constants"])
        label = pde.name + "".join(f", {k}={v:g}" for k, v in problem["constants"].items())
        r, t = run_study(pde, settings)
        runs.append(r.assign(problem=label))
        traces.append(t.assign(problem=label))
        tables.append(outcome_table(r).assign(problem=label))
        print(f"[pinnlab] Newton study {label}:\n{r.groupby(['method', 'outcome']).size().to_string()}", flush=True)
    Path(job.output.runs).parent.mkdir(parents=True, exist_ok=True)
    pd.concat(runs).to_csv(job.output.runs, index=False)
    pd.concat(traces).to_csv(job.output.traces, index=False)
    table = pd.concat(tables)
    table[["problem", *table.columns.drop("problem")]].to_csv(job.output.outcomes, index=False)
