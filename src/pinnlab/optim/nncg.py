"""NNCG: Nyström-preconditioned Newton–CG with an Armijo line search (Rathore et al., ICML 2024, Alg. 4–5).

One iteration: solve (H + μI) d = ∇L by preconditioned CG on exact Hessian-vector products
(forward-over-reverse), warm-started from the previous direction; step w ← w − t d with Armijo
backtracking from t = η. The preconditioner is a randomized Nyström approximation Ĥ = U Λ̂ Uᵀ of H of
rank s built from s HVPs (one after another by default, ``hvp_batch``) and rebuilt every F iterations;
P⁻¹x = (λ̂_s + μ) U (Λ̂ + μI)⁻¹ Uᵀ x + (I − U Uᵀ) x.

Everything runs inside one jit-compiled step: CG and the line search are ``lax.while_loop`` s, so one
iteration is a single dispatch however many CG iterations it takes.

Two settings of the CG stopping rule:
- ``fixed``: stop when ‖r‖ ≤ ``cg_tol`` or after ``cg_maxiter`` iterations. The source's values
  (1e-16, 1,000) make CG always run to the cap — the faithful, very expensive setting.
- ``eisenstat_walker``: an inexact Newton method; stop when ‖r‖ ≤ η_k ‖∇L‖ with the forcing term
  η_k = min(0.5, √‖∇L‖) (Eisenstat & Walker 1996, choice of Dembo–Steihaug), or after ``cg_maxiter``.

H is the full, indefinite Hessian. The source's CG runs on through directions of negative curvature
(``negative_curvature: continue``, the faithful default); ``stop`` truncates CG there (Newton–CG as
Steihaug), the usual companion of an inexact Newton method. Two safeguards the source lacks are always
on: a non-descent direction is replaced by the gradient, and the line search gives up (step 0) after
``max_backtracks`` halvings instead of looping until the step underflows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from pinnlab.config import schema_defaults
from pinnlab.curvature import flat_objective, hvp
from pinnlab.errors import PinnlabError

FORCING = ("fixed", "eisenstat_walker")
NEGATIVE_CURVATURE = ("continue", "stop")


DEFAULTS = schema_defaults("protocol", "nncg")
"""The source's faithful setting, from the config schema (the one place defaults live)."""


@dataclass(frozen=True)
class NNCGSettings:
    rank: int = DEFAULTS["rank"]
    mu: float = DEFAULTS["mu"]
    precond_every: int = DEFAULTS["precond_every"]
    cg_tol: float = DEFAULTS["cg_tol"]
    cg_maxiter: int = DEFAULTS["cg_maxiter"]
    forcing: str = DEFAULTS["forcing"]
    negative_curvature: str = DEFAULTS["negative_curvature"]
    armijo_alpha: float = DEFAULTS["armijo_alpha"]
    armijo_beta: float = DEFAULTS["armijo_beta"]
    step: float = DEFAULTS["step"]
    max_backtracks: int = DEFAULTS["max_backtracks"]
    hvp_batch: int = DEFAULTS["hvp_batch"]  # the sketch's HVPs evaluated together (1: one after another, 0: all)
    seed: int = 0

    def __post_init__(self):
        if self.forcing not in FORCING:
            raise PinnlabError(f"unknown NNCG forcing {self.forcing!r}; valid: {FORCING}")
        if self.negative_curvature not in NEGATIVE_CURVATURE:
            raise PinnlabError(f"unknown NNCG negative_curvature {self.negative_curvature!r}; "
                               f"valid: {NEGATIVE_CURVATURE}")


class NNCGState(NamedTuple):
    direction: jax.Array  # previous Newton direction (warm start of CG), flat
    basis: jax.Array      # U, (p, s)
    eigenvalues: jax.Array  # Λ̂, (s,), descending
    iteration: jax.Array
    cg_iterations: jax.Array
    step_size: jax.Array


def nystrom(matvec, key, dim: int, rank: int, batch: int = 1, dtype=jnp.float32):
    """Randomized Nyström approximation U diag(λ) Uᵀ of a symmetric matrix given by ``matvec``.

    Tropp et al. (2017) with the stability shift ν = √p · eps · ‖Y‖; when QᵀY is indefinite (the
    Hessian of a non-convex loss) the shift is raised to make the Cholesky factor exist, and removed
    from the eigenvalues afterwards (negative ones clipped to 0). ``batch``: HVPs evaluated together (vmapped),
    1 = one after another (a scan), 0 = all ``rank`` at once.
    """
    omega = jax.random.normal(key, (dim, rank), dtype)
    q, _ = jnp.linalg.qr(omega)
    tests = q.T
    if batch == 0 or batch >= rank:
        y = jax.vmap(matvec)(tests).T  # (dim, rank)
    else:
        y = jax.lax.map(matvec, tests, batch_size=None if batch == 1 else batch).T
    nu = jnp.sqrt(dim) * jnp.finfo(dtype).eps * jnp.linalg.norm(y)
    core = q.T @ y
    core = (core + core.T) / 2
    shift = nu + jnp.maximum(0.0, -jnp.linalg.eigvalsh(core)[0]) * 1.01
    chol = jnp.linalg.cholesky(core + shift * jnp.eye(rank, dtype=dtype))
    b = jax.scipy.linalg.solve_triangular(chol, (y + shift * q).T, lower=True).T
    u, s, _ = jnp.linalg.svd(b, full_matrices=False)
    return u, jnp.maximum(s**2 - shift, 0.0)


def nystrom_preconditioner(basis, eigenvalues, mu):
    """x ↦ P⁻¹x for P = U(Λ̂ + μI)Uᵀ/(λ̂_s + μ) + (I − UUᵀ)."""
    def apply(x):
        coef = basis.T @ x
        return (eigenvalues[-1] + mu) * (basis @ (coef / (eigenvalues + mu))) + x - basis @ coef
    return apply


def pcg(matvec, b, x0, precondition, tol, maxiter, stop_on_negative_curvature=True):
    """Preconditioned CG for A x = b; stops at ‖r‖ ≤ tol, ``maxiter``, or (if asked) pᵀAp ≤ 0.

    Zero curvature always stops it (the step would divide by zero). Returns (x, iterations).
    A ``lax.while_loop``: one compiled loop, no host round trips.
    """
    r0 = b - matvec(x0)
    z0 = precondition(r0)

    def cond(c):
        _, r, _, _, _, k, stop = c
        return (k < maxiter) & (jnp.linalg.norm(r) > tol) & ~stop

    def body(c):
        x, r, z, p, rz, k, _ = c
        ap = matvec(p)
        curvature = p @ ap
        # A is not positive definite along p: Newton–CG keeps the current x; the source goes on
        stop = (curvature <= 0) if stop_on_negative_curvature else (curvature == 0)
        alpha = jnp.where(stop, 0.0, rz / jnp.where(stop, 1.0, curvature))
        x, r = x + alpha * p, r - alpha * ap
        z = precondition(r)
        rz_new = r @ z
        p = z + (rz_new / rz) * p
        return x, r, z, p, rz_new, k + 1, stop

    init = (x0, r0, z0, z0, r0 @ z0, jnp.int32(0), jnp.bool_(False))
    x, *_, k, _ = jax.lax.while_loop(cond, body, init)
    return x, k


def armijo(f, w, value, grad, direction, settings: NNCGSettings):
    """Largest t = η βʲ (j < max_backtracks) with f(w − t d) ≤ f(w) − α t ∇fᵀd, else 0."""
    slope = grad @ direction

    def cond(c):
        t, j = c
        return (f(w - t * direction) > value - settings.armijo_alpha * t * slope) & (j < settings.max_backtracks)

    t, j = jax.lax.while_loop(cond, lambda c: (c[0] * settings.armijo_beta, c[1] + 1),
                              (jnp.asarray(settings.step, w.dtype), jnp.int32(0)))
    accepted = f(w - t * direction) <= value - settings.armijo_alpha * t * slope
    return jnp.where(accepted, t, 0.0)


class NNCG:
    reuses_values = False  # every step computes the loss and gradient it needs

    def __init__(self, settings: NNCGSettings):
        self.settings = settings

    def init(self, params):
        flat, _ = ravel_pytree(params)
        s = self.settings.rank
        return NNCGState(direction=jnp.zeros_like(flat), basis=jnp.zeros((flat.size, s), flat.dtype),
                         eigenvalues=jnp.zeros((s,), flat.dtype), iteration=jnp.int32(0),
                         cg_iterations=jnp.int32(0), step_size=jnp.float32(0.0))

    def step(self, objective, params, state: NNCGState, batch, weights, first=None):
        cfg = self.settings
        f, flat, unravel = flat_objective(objective, params, batch, weights)
        value, grad = jax.value_and_grad(f)(flat)

        def hessian_times(v):
            return hvp(f, flat, v)

        key = jax.random.fold_in(jax.random.key(cfg.seed), state.iteration)
        basis, eigenvalues = jax.lax.cond(
            state.iteration % cfg.precond_every == 0,
            lambda: nystrom(hessian_times, key, flat.size, cfg.rank, cfg.hvp_batch, flat.dtype),
            lambda: (state.basis, state.eigenvalues))
        gnorm = jnp.linalg.norm(grad)
        tol = cfg.cg_tol if cfg.forcing == "fixed" else jnp.minimum(0.5, jnp.sqrt(gnorm)) * gnorm
        direction, cg_iterations = pcg(lambda v: hessian_times(v) + cfg.mu * v, grad, state.direction,
                                       nystrom_preconditioner(basis, eigenvalues, cfg.mu), tol, cfg.cg_maxiter,
                                       cfg.negative_curvature == "stop")
        direction = jnp.where(grad @ direction > 0, direction, grad)  # fall back to steepest descent
        t = armijo(f, flat, value, grad, direction, cfg)
        new_state = NNCGState(direction, basis, eigenvalues, state.iteration + 1, cg_iterations,
                              t.astype(jnp.float32))
        return unravel(flat - t * direction), new_state, {"loss": value}

    def diagnostics(self, state: NNCGState) -> dict:
        return {"cg_iterations": state.cg_iterations.astype(jnp.float32), "step_size": state.step_size}
