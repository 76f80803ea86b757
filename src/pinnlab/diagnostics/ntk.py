"""Neural tangent kernels of a PINN, from per-sample Jacobians of its loss terms.

For a loss term with pointwise residual r_i(θ, z) (the PDE residual, or a condition such as u − g or u_t),
J_i = ∂r_i(θ, z_j)/∂θ over its points z_j, and the kernel blocks are K_ij = J_i J_jᵀ (Wang, Yu and
Perdikaris, JCP 2022, eq. 3.9): K_uu for a condition (u, u_t, periodic difference …), K_rr for the residual.
Traces need no kernel: Tr(K_ii) = Σ_j ‖∂r_i(θ, z_j)/∂θ‖², summed in batches so that memory stays at
batch × parameters — what PINN-NTK weighting needs at width 500 and beyond.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from pinnlab.nets import Network, Params
from pinnlab.pdes import PDE


def term_function(pde: PDE, net: Network, term: str):
    """r(params, z): the pointwise residual of loss term ``term`` ("res" or a condition name)."""
    if term == "res":
        return lambda params, z: pde.residual(net.bind(params), z)
    conditions = {c.name: c for c in pde.conditions()}
    cond = conditions[term]
    return lambda params, z: cond.residual(net.bind(params), z)


def jacobian(fn, params: Params, points: jax.Array) -> jax.Array:
    """Per-sample gradients of ``fn(params, z)`` as rows: shape (points, parameters)."""
    flat, unravel = ravel_pytree(params)
    row = jax.grad(lambda w, z: fn(unravel(w), z))
    return jax.vmap(row, in_axes=(None, 0))(flat, points)


def kernel(fns_and_points, params: Params) -> jax.Array:
    """The NTK J Jᵀ over several terms stacked in order: [(fn, points), …] → (N, N), N = Σ points."""
    jac = jnp.concatenate([jacobian(fn, params, pts) for fn, pts in fns_and_points])
    return jac @ jac.T


def trace(fn, params: Params, points: jax.Array, batch: int = 64) -> jax.Array:
    """Tr(J Jᵀ) = Σ_j ‖∇_θ fn(θ, z_j)‖², without forming J Jᵀ (nor all of J at once)."""
    flat, unravel = ravel_pytree(params)
    row = jax.grad(lambda w, z: fn(unravel(w), z))
    return jnp.sum(jax.lax.map(lambda z: jnp.sum(row(flat, z) ** 2), points, batch_size=batch))


def relative_change(k0: jax.Array, k: jax.Array) -> dict:
    """ΔK = ‖K(0) − K(t)‖ / ‖K(0)‖ in the spectral norm (the target paper's text) and the Frobenius norm
    (Wang et al.'s code). Both kernels are symmetric, so the spectral norm is the largest |eigenvalue|."""
    def spectral(m):
        return jnp.max(jnp.abs(jnp.linalg.eigvalsh(m)))
    d = k0 - k
    return {"spectral": spectral(d) / spectral(k0), "frobenius": jnp.linalg.norm(d) / jnp.linalg.norm(k0)}


def ntk_weights(traces: dict) -> dict:
    """PINN-NTK weights (the target's Algorithm 1; Wang et al. eq. 6.2–6.3, 7.13–7.15):
    λ_i = Tr(K) / Tr(K_ii) with Tr(K) = Σ_i Tr(K_ii)."""
    total = sum(traces.values())
    return {k: total / v for k, v in traces.items()}


def condition_and_residual_points(pde: PDE, n_res: int, n_conditions: int, key) -> dict:
    """Uniform points: ``n_res`` in the domain and ``n_conditions`` shared evenly by the condition terms."""
    from pinnlab.sampling import PointSpec, uniform_points

    per = max(1, n_conditions // max(1, len(pde.conditions())))
    return uniform_points(pde, PointSpec(kind="uniform", n_res=n_res, n_initial=per, n_boundary=per), key)


def drift_probe(n_res: int = 300, n_conditions: int = 100):
    """A training probe (``train.Run.probes``) recording ΔK(t) of K_rr (residual) and K_uu (conditions).

    The kernel points are drawn once per run from its seed (Fig. 1a: "300 random points fixed per run");
    K(0) is the kernel at the run's initial parameters, recomputed on resume.
    """
    def make(trainer):
        pde, net = trainer.run.pde, trainer.net
        points = condition_and_residual_points(pde, n_res, n_conditions,
                                               jax.random.fold_in(jax.random.key(trainer.run.seed), 3))
        blocks = {"rr": [(term_function(pde, net, "res"), points["res"])],
                  "uu": [(term_function(pde, net, c.name), points[c.name]) for c in pde.conditions()]}
        kernels = jax.jit(lambda params: {b: kernel(fp, params) for b, fp in blocks.items()})
        k0 = kernels(trainer.params0)

        @jax.jit
        def probe(params):
            out = {}
            for block, k in kernels(params).items():
                for norm, value in relative_change(k0[block], k).items():
                    out[f"ntk_drift_{block}_{norm}"] = value
            return out

        return probe

    return make
