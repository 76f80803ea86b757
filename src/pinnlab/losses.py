"""Loss terms: one named mean-squared term per residual / condition, combined with weights.

Convention (config key ``loss_convention``):
- ``mean`` (default): L_i = mean_j r_i(z_j)², as the public code of Rathore et al. (``nn.MSELoss``),
  PINNacle and Wang et al. compute it;
- ``half_mean``: L_i = ½ mean_j r_i(z_j)², as the target paper and Rathore et al.'s paper write it.
The total is Σ_i λ_i L_i with λ_i = 1 unless a weighting scheme sets them. The choice scales the loss
and its Hessian by 2 and nothing else.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from pinnlab.errors import PinnlabError
from pinnlab.nets import Network, Params
from pinnlab.pdes import PDE

LOSS_CONVENTIONS = {"mean": 1.0, "half_mean": 0.5}


def check_convention(convention: str) -> float:
    if convention not in LOSS_CONVENTIONS:
        raise PinnlabError(f"unknown loss_convention {convention!r}; valid: {sorted(LOSS_CONVENTIONS)}")
    return LOSS_CONVENTIONS[convention]


def term_residuals(pde: PDE, net: Network, params: Params, points: dict) -> dict[str, jax.Array]:
    """Pointwise residual of every loss term: ``name -> (n,)`` array."""
    u = net.bind(params)
    out = {"res": jax.vmap(lambda z: pde.residual(u, z))(points["res"])}
    for cond in pde.conditions():
        out[cond.name] = jax.vmap(lambda z, c=cond: c.residual(u, z))(points[cond.name])
    return out


def loss_terms(pde: PDE, net: Network, params: Params, points: dict, convention: str = "mean") -> dict[str, jax.Array]:
    factor = check_convention(convention)
    return {name: factor * jnp.mean(r**2) for name, r in term_residuals(pde, net, params, points).items()}


def weighted_total(terms: dict[str, jax.Array], weights: dict[str, jax.Array]) -> jax.Array:
    return sum(weights[name] * value for name, value in terms.items())
