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
