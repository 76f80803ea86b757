"""Second-order building blocks on flat parameter vectors: Hessian-vector products, the flat loss."""

from __future__ import annotations

from collections.abc import Callable

import jax
from jax.flatten_util import ravel_pytree


def flat_objective(objective, params, batch, weights) -> tuple[Callable, jax.Array, Callable]:
    """(f, w, unravel): the weighted loss as a function f(w) of the flat parameter vector w."""
    flat, unravel = ravel_pytree(params)

    def f(w):
        return objective(unravel(w), batch, weights)[0]

    return f, flat, unravel


def hvp(f: Callable, w: jax.Array, v: jax.Array) -> jax.Array:
    """∇²f(w) v by forward-over-reverse differentiation (one jvp of the gradient), never forming ∇²f."""
    return jax.jvp(jax.grad(f), (w,), (v,))[1]


def gauss_newton_vp(residuals: Callable, w: jax.Array, v: jax.Array) -> jax.Array:
    """J_rᵀ(J_r v), J_r the Jacobian of the residual vector r(w): one jvp and one vjp, never forming J_r.

    The Gauss–Newton part of the Hessian of Σ r_i²/2: ∇²(½‖r‖²) = J_rᵀJ_r + Σ r_i ∇²r_i. Its nonzero spectrum is the
    residual block J_r J_rᵀ of the NTK (target paper Sec. 3; Wang, Yu and Perdikaris 2022, Eq. 11)."""
    jv = jax.jvp(residuals, (w,), (v,))[1]
    return jax.vjp(residuals, w)[1](jv)[0]


def residual_curvature_vp(residuals: Callable, w: jax.Array, c: jax.Array, v: jax.Array) -> jax.Array:
    """(Σ_i c_i ∇²r_i(w)) v: the jvp of w ↦ J_r(w)ᵀc with the weights c held fixed (forward over reverse).

    With c = r(w) this is the curvature part of ∇²(½‖r‖²); its ∇²r_i are what the target paper's Thm 3 is about
    (they vanish with width for linear PDEs in the lazy regime, not for degree-2 nonlinearities). Computed directly,
    not as H v − G v, so that it keeps its own relative precision when it is small next to the Gauss–Newton part."""
    return jax.jvp(lambda x: jax.vjp(residuals, x)[1](c)[0], (w,), (v,))[1]
