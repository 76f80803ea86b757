"""The exact-Newton study (rule ``newton_study``): does training a PINN with its exact Hessian reliably fail?

On networks small enough for the full Hessian, four methods start from the same initialisations:
- ``newton``: w ← w − H⁻¹∇L, undamped, unit step — attracted by every stationary point; where H is singular to
  working precision the step is not finite, and the run stays at its last point (``singular_at`` says when);
- ``damped_newton``: d = (H + μI)⁻¹∇L (replaced by ∇L if not a descent direction), Armijo backtracking;
- ``gauss_newton``: Levenberg–Marquardt on the residual vector, (JᵀJ + λI) d = Jᵀr with λ adapted
  (÷3 after a successful step, ×2 and retry otherwise) — positive semi-definite curvature;
- ``lbfgs``: optax L-BFGS with its zoom line search (``pinnlab.optim.lbfgs``).
Everything runs in float64. Each run ends with its loss, gradient norm and the extreme eigenvalues of the exact
Hessian, and ``classify`` says where it ended by its loss first (issue #13: stationarity and curvature alone called
the trivial point a "minimum", and its flat Hessian made that verdict flip between reruns). The reference is the
*trivial loss*: that of the best constant and of the best affine function z ↦ c + b·z, fitted by least squares to
the study's own loss on the same points — a tanh network with saturated or linear hidden units; for Poisson-1D
u_xx ≡ 0 and the loss is the forcing's alone. A "minimum" has a loss ≤ ``minimum_fraction`` × the trivial loss; a
run whose residuals are a trivial function's is a "trivial solution"; stationary points above the threshold are
saddles or non-minimising stationary points. The best loss any method reached from the same initialisation is
reported beside (``best_loss``): it spans decades between seeds, so it does not set the threshold.
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
OUTCOMES = ("minimum", "trivial solution", "non-minimising stationary point", "saddle", "not converged", "diverged")
STATIONARY_NOT_MINIMUM = ("trivial solution", "non-minimising stationary point", "saddle")
TRIVIAL_FUNCTIONS = ("constant", "affine")


@dataclass(frozen=True)
class StudySettings:
    width: int
    depth: int
    n_res: int
    n_boundary: int
    iterations: int
    seeds: tuple[int, ...]
    damping: float = schema_defaults("scale", "newton")["damping"]
    grad_tol: float = 1e-6  # ‖∇L‖ of a stationary point
    eig_tol: float = 1e-6  # λ_min < −eig_tol·λ_max: negative curvature
    # A minimising point has a loss ≤ minimum_fraction × the trivial loss: the run explains all but 0.1 % of what the
    # best trivial function leaves, a loss decades from both the trivial point (fraction 1) and the near-zero losses
    # Gauss–Newton reaches (docs/claims.md, exact-newton-fails).
    minimum_fraction: float = 1e-3
    # A run whose residual vector is within trivial_tol (relative) of a trivial function's is at that function:
    # exact Newton lands on it to rounding, every other end point measured differs by percents or more.
    trivial_tol: float = 1e-3
    diverge_factor: float = 10.0  # a final loss this many times the initial one has diverged


class _Affine:
    """z ↦ θ₀ + θ[1:]·z (``constant``: θ[1:] ≡ 0) as a network of ``term_residuals``."""

    def __init__(self, constant: bool):
        self.constant = constant

    def bind(self, theta):
        slope = jnp.zeros_like(theta[1:]) if self.constant else theta[1:]
        return lambda z: theta[0] + slope @ z


def _scaled_residuals(pde: PDE, net, params, points) -> jax.Array:
    # mean-squared terms: L = Σ_i mean_j r_ij² = ‖r̃‖² with r̃_ij = r_ij / √n_i
    res = term_residuals(pde, net, params, points)
    return jnp.concatenate([r / jnp.sqrt(r.size) for r in res.values()])


def trivial_residuals(pde: PDE, points: dict, kind: str, iterations: int = 20) -> jax.Array:
    """The scaled residual vector of the best ``kind`` trivial function (least squares by Gauss–Newton from 0: one
    step is exact for a linear PDE, the rest serve nonlinear residuals)."""
    net = _Affine(constant=kind == "constant")

    def residual(theta):
        return _scaled_residuals(pde, net, theta, points)

    def step(theta, _):
        jac = jax.jacfwd(residual)(theta)
        return theta - jnp.linalg.lstsq(jac, residual(theta))[0], None

    theta, _ = jax.lax.scan(step, jnp.zeros(pde.dim + 1), None, length=iterations)
    return residual(theta)


def _problem(pde: PDE, settings: StudySettings, seed: int):
    """(residual function r(w, points) with L = ‖r‖², flat initial parameters, the seed's points)."""
    net, params = make_network(pde.dim, settings.width, settings.depth, seed)
    params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
    w0, unravel = ravel_pytree(params)
    spec = PointSpec(kind="qmc", n_res=settings.n_res, n_initial=settings.n_boundary,
                     n_boundary=settings.n_boundary)
    points = {k: jnp.asarray(v, jnp.float64) for k, v in fixed_points(pde, spec, seed).items()}

    def residual_vector(w, points):
        return _scaled_residuals(pde, net, unravel(w), points)

    return residual_vector, w0, points


def _method_runner(method: str, residual_fn, settings: StudySettings):
    """A compiled function (w0, points) -> (final w, loss trace, ‖∇L‖, eigenvalues of ∇²L, first iteration whose
    Newton step was not finite or −1)."""
    line_search = NNCGSettings(armijo_alpha=1e-4, armijo_beta=0.5, step=1.0, max_backtracks=40)

    def run(w0, points):
        def residual_vector(w):
            return residual_fn(w, points)

        def loss(w):
            r = residual_vector(w)
            return r @ r

        grad, hess, eye = jax.grad(loss), jax.hessian(loss), jnp.eye(w0.size)

        if method == "newton":
            def step(carry, k):
                w, singular_at = carry
                new = w - jnp.linalg.solve(hess(w), grad(w))
                ok = jnp.isfinite(new).all() & jnp.isfinite(loss(new))
                return (jnp.where(ok, new, w), jnp.where(ok | (singular_at >= 0), singular_at, k)), loss(w)
            carry = (w0, jnp.int32(-1))
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

        carry, trace = jax.lax.scan(step, carry, jnp.arange(settings.iterations, dtype=jnp.int32))
        w = carry[0] if isinstance(carry, tuple) else carry
        singular_at = carry[1] if method == "newton" else jnp.int32(-1)
        return (w, jnp.append(trace, loss(w)), jnp.linalg.norm(grad(w)), jnp.linalg.eigvalsh(hess(w)),
                singular_at)

    return jax.jit(run)


def classify(initial_loss, final_loss, grad_norm, eig_min, eig_max, trivial_loss, trivial_distance, broke_down,
             settings: StudySettings) -> str:
    """Where a run ended (one of ``OUTCOMES``), tested in this order:
    ``diverged``: non-finite, or a loss grown diverge_factor-fold;
    ``minimum``: loss ≤ minimum_fraction × the trivial loss (a minimising point, stationary or not yet);
    ``trivial solution``: residual vector within trivial_tol (relative) of a trivial function's;
    ``diverged`` also: a Newton step that was not finite (``broke_down``) anywhere else;
    at a stationary point (‖∇L‖ ≤ grad_tol) above the minimum threshold: ``saddle`` if λ_min < −eig_tol·|λ_max|,
    else ``non-minimising stationary point``; otherwise ``not converged``."""
    values = [initial_loss, final_loss, grad_norm, eig_min, eig_max, trivial_loss]
    if not np.isfinite(values).all() or final_loss > settings.diverge_factor * initial_loss:
        return "diverged"
    if final_loss <= settings.minimum_fraction * trivial_loss:
        return "minimum"
    if trivial_distance <= settings.trivial_tol:
        return "trivial solution"
    if broke_down:
        return "diverged"
    if grad_norm <= settings.grad_tol:
        return "saddle" if eig_min < -settings.eig_tol * abs(eig_max) else "non-minimising stationary point"
    return "not converged"


def run_study(pde: PDE, settings: StudySettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per method × seed with the outcome, the loss trace of every run)."""
    runs, traces = [], []
    with jax.enable_x64(True):
        problems = {seed: _problem(pde, settings, seed) for seed in settings.seeds}
        residual_fn = problems[settings.seeds[0]][0]  # the same function of (w, points) for every seed
        fits = {kind: jax.jit(lambda points, kind=kind: trivial_residuals(pde, points, kind))
                for kind in TRIVIAL_FUNCTIONS}
        distance = jax.jit(lambda w, points, r: jnp.linalg.norm(residual_fn(w, points) - r) / jnp.linalg.norm(r))
        trivial = {seed: {kind: fit(points) for kind, fit in fits.items()} for seed, (_, _, points) in problems.items()}
        for method in METHODS:
            runner = _method_runner(method, residual_fn, settings)
            for seed, (_, w0, points) in problems.items():
                w, trace, gnorm, eig, singular_at = runner(w0, points)
                trace, eig = np.asarray(trace), np.asarray(eig)
                distances = {kind: float(distance(w, points, r)) for kind, r in trivial[seed].items()}
                nearest = min(distances, key=lambda k: distances[k] if np.isfinite(distances[k]) else np.inf)
                runs.append({"method": method, "seed": seed, "initial_loss": float(trace[0]),
                             "final_loss": float(trace[-1]), "grad_norm": float(gnorm), "eig_min": float(eig[0]),
                             "eig_max": float(eig[-1]),
                             "n_negative": int(np.sum(eig < -settings.eig_tol * abs(eig[-1]))),
                             "singular_at": int(singular_at),
                             **{f"trivial_loss_{kind}": float(r @ r) for kind, r in trivial[seed].items()},
                             "nearest_trivial": nearest, "trivial_distance": distances[nearest]})
                traces.append(pd.DataFrame({"method": method, "seed": seed,
                                            "iteration": np.arange(len(trace)), "loss": trace}))
    runs = pd.DataFrame(runs)
    runs["best_loss"] = runs.groupby("seed").final_loss.transform("min")  # any method, same initialisation
    # the lesser trivial loss (the affine function's): the stricter threshold of "minimum"
    trivial_loss = runs[[f"trivial_loss_{k}" for k in TRIVIAL_FUNCTIONS]].min(axis=1)
    runs["outcome"] = [classify(r.initial_loss, r.final_loss, r.grad_norm, r.eig_min, r.eig_max, t,
                                r.trivial_distance, r.singular_at >= 0, settings)
                       for r, t in zip(runs.itertuples(), trivial_loss)]
    return runs, pd.concat(traces, ignore_index=True)


def outcome_table(runs: pd.DataFrame, settings: StudySettings) -> pd.DataFrame:
    """Counts per method and outcome (columns in ``OUTCOMES`` order), the median final loss over seeds, the median
    best loss of any method from the same initialisations, the median trivial losses and the loss below which a run
    is a minimum."""
    counts = runs.groupby(["method", "outcome"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(METHODS), columns=list(OUTCOMES), fill_value=0)
    counts["median final loss"] = runs.groupby("method").final_loss.median().reindex(list(METHODS))
    counts["median best loss"] = runs.best_loss.median()
    for kind in TRIVIAL_FUNCTIONS:
        counts[f"trivial loss ({kind})"] = runs[f"trivial_loss_{kind}"].median()
    trivial = counts[[f"trivial loss ({k})" for k in TRIVIAL_FUNCTIONS]].min(axis=1)
    counts["minimum below"] = settings.minimum_fraction * trivial  # the median seed's threshold
    return counts.reset_index()


def newton_study(job) -> None:
    """``runs.csv`` (one row per problem, method and seed), ``traces.csv`` (losses) and ``outcomes.csv`` (counts
    per problem and method, outcomes as columns in ``OUTCOMES`` order, then losses)."""
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
        tables.append(outcome_table(r, settings).assign(problem=label))
        print(f"[pinnlab] Newton study {label}:\n{r.groupby(['method', 'outcome']).size().to_string()}", flush=True)
    Path(job.output.runs).parent.mkdir(parents=True, exist_ok=True)
    pd.concat(runs).to_csv(job.output.runs, index=False)
    pd.concat(traces).to_csv(job.output.traces, index=False)
    table = pd.concat(tables)
    table[["problem", *table.columns.drop("problem")]].to_csv(job.output.outcomes, index=False)
