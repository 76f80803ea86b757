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


DRIFT_BLOCKS = ("full", "rr", "uu")
"""The kernel whose drift is measured: the full K = J Jᵀ over the residual and condition points (W22 eq. 3.9; the
target's ΔK), its residual block K_rr and its condition block K_uu (every condition term's points together)."""
DRIFT_POINTS = ("fixed", "resampled")
"""Where the kernel is evaluated: ``fixed`` points drawn once per run; ``resampled`` fresh points at every
evaluation, K(θ_0) and K(θ_t) both on them (the change of the kernel as a function, not of one Gram matrix)."""
DRIFT_NORMS = ("spectral", "frobenius")


def drift_column(block: str, points: str, norm: str) -> str:
    """The metrics column of ΔK for one (block, points, norm)."""
    return f"ntk_drift_{block}_{points}_{norm}"


def kernel_blocks(k: jax.Array, n_res: int) -> dict:
    """The full kernel (residual rows first) and its diagonal blocks K_rr and K_uu."""
    return {"full": k, "rr": k[:n_res, :n_res], "uu": k[n_res:, n_res:]}


def block_masks(n: int, n_res: int) -> jax.Array:
    """(3, n, n) masks of ``DRIFT_BLOCKS`` in the full kernel: a block's matrix padded with zeros has the block's
    norms, so every block is measured by one program on one shape."""
    res = jnp.arange(n) < n_res
    return jnp.stack([jnp.ones((n, n)), jnp.outer(res, res), jnp.outer(~res, ~res)]).astype(jnp.float32)


LANCZOS_STEPS = 64
"""Lanczos steps of a kernel's spectral norm: the extreme Ritz values of a 400 × 400 kernel difference agree with a
dense eigensolver to ~1e-6 after 60 (a dense eigensolver is slower: XLA's CPU eigensolver and a multithreaded
LAPACK on a busy CPU take up to a second for one such matrix)."""


def matrix_norms(m: jax.Array) -> dict:
    """Spectral norm (largest |eigenvalue|: every kernel and kernel difference here is symmetric; Lanczos,
    ``diagnostics.hessian.spectral_norm``) and Frobenius norm."""
    from pinnlab.diagnostics.hessian import spectral_norm

    top, _, _ = spectral_norm(lambda v: m @ v, m.shape[0], LANCZOS_STEPS, jax.random.key(0), m.dtype)
    return {"spectral": top, "frobenius": jnp.linalg.norm(m)}


def drift_measures(k0: jax.Array, k: jax.Array, n_res: int) -> dict:
    """ΔK = ‖K(0) − K(t)‖ / ‖K(0)‖ of every block of ``DRIFT_BLOCKS`` in both norms: ``(block, norm) -> ΔK``.
    ``k0`` and ``k`` may carry leading batch axes (the values then do too)."""
    masks = block_masks(k0.shape[-1], n_res)
    pair = jnp.stack([k0 - k, k0])[..., None, :, :] * masks  # (2, ..., block, n, n)
    norms = matrix_norms
    for _ in range(pair.ndim - 2):
        norms = jax.vmap(norms)
    values = norms(pair)
    return {(name, norm): v[0][..., i] / v[1][..., i] for norm, v in values.items()
            for i, name in enumerate(DRIFT_BLOCKS)}


def drift_probe(n_res: int = 300, n_conditions: int = 100):
    """A training probe (``training.run.Run.probes``) recording ΔK(t) (``drift_column``) of the full NTK and its
    blocks K_rr and K_uu, in both norms, on fixed and on resampled points.

    The target's Fig. 1a: "calculate the NTK over 300 random sample-points", ΔK(t) = ‖K(0) − K(t)‖₂ / ‖K(0)‖₂. Fixed
    points are drawn once per run from its seed (``sampling.run_key(seed, "ntk_probe")``); resampled ones at step s
    from that key folded with s, so a resumed run draws the same. The compiled measurement takes K(0), the points
    and the keys as arguments (runs that differ only in their seed share one program: the compilation cache), and
    forms its three kernels one after the other (``lax.map``: one Jacobian in memory at a time).
    """
    def make(trainer):
        from pinnlab.sampling import run_key

        pde, net = trainer.run.pde, trainer.net
        fixed_key, fresh_root = jax.random.split(run_key(trainer.run.seed, "ntk_probe"))
        terms = [term_function(pde, net, t) for t in pde.term_names()]  # the residual first

        def draw(key):
            points = condition_and_residual_points(pde, n_res, n_conditions, key)
            return [points[t] for t in pde.term_names()]

        def full_kernel(params, points):
            return kernel(list(zip(terms, points)), params)

        @jax.jit
        def measure(params0, params, k0, fixed, root, step):
            fresh = draw(jax.random.fold_in(root, step))
            # K(θ_t) on the fixed points; K(θ_0) and K(θ_t) on fresh ones
            stacked = jax.tree.map(lambda *x: jnp.stack(x), (params, fixed), (params0, fresh), (params, fresh))
            k_fixed, k0_fresh, k_fresh = jax.lax.map(lambda a: full_kernel(*a), stacked)
            measures = drift_measures(jnp.stack([k0, k0_fresh]), jnp.stack([k_fixed, k_fresh]), n_res)
            return {drift_column(block, where, norm): value[i] for (block, norm), value in measures.items()
                    for i, where in enumerate(DRIFT_POINTS)}

        fixed = draw(fixed_key)
        k0 = jax.jit(full_kernel)(trainer.params0, fixed)
        return lambda params, step: measure(trainer.params0, params, k0, fixed, fresh_root, jnp.asarray(step))

    return make
