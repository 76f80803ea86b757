"""The finite-difference solution u_h of F_h(u_h) = 0 (``pinnlab.pcpinn.discretisation``), solved on the host.

PCPINN's loss vanishes at u_h; the conditioning table measures u_h's own error (the floor of PCPINN's) and the
``fit_uh`` control trains a network on mean (u_θ − u_h)² at the grid nodes (``pinnlab.pcpinn.fit``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def fd_solution(disc, newton_steps: int = 20, tol: float = 1e-10) -> np.ndarray:
    """u_h with F_h(u_h) = 0: a direct solve for a linear scheme; for a nonlinear one, Newton's method level by
    level in time (the scheme is implicit and marches: level n depends on levels n and n − 1 only), each level
    starting from the previous one — a global Newton from a poor guess diverges on Burgers and Heat2d-LT.
    A level whose Newton iteration does not converge keeps its last iterate (``fd_residual`` tells)."""
    import jax

    if disc.pointwise is None and disc.burgers_d1 is None:
        return spla.spsolve(disc.A.tocsc(), disc.b)
    times = disc.nodes()[:, -1]
    levels = np.unique(times)
    u = np.where(np.isclose(times, levels[0]), disc.b, 0.0)
    newton = _pointwise_level if disc.pointwise is not None else _whole_grid_level
    with jax.enable_x64(True):
        step = newton(disc)
        for prev, level in zip(levels[:-1], levels[1:]):
            rows = np.flatnonzero(np.isclose(times, level))
            u[rows] = u[np.flatnonzero(np.isclose(times, prev))]  # start from the previous level
            for _ in range(newton_steps):
                r, jacobian = step(u, rows)
                if np.linalg.norm(r) <= tol * max(1.0, np.linalg.norm(u[rows])):
                    break
                u[rows] -= spla.spsolve(jacobian.tocsc(), r)
    return u


def fd_residual(disc, u_h: np.ndarray) -> float:
    """‖F_h(u_h)‖ / ‖b‖: whether ``u_h`` solves the scheme (≈ 1e-10 or below when every level converged)."""
    import jax
    import jax.numpy as jnp

    with jax.enable_x64(True):
        r = np.asarray(disc.residual(jnp.asarray(u_h, jnp.float64)))
    return float(np.linalg.norm(r) / np.linalg.norm(disc.b))


def _whole_grid_level(disc):
    """(residual rows, their Jacobian block) from the whole-grid residual and Jacobian (Burgers' per-level term)."""
    import jax
    import jax.numpy as jnp

    residual = jax.jit(disc.residual)

    def step(u, rows):
        return np.asarray(residual(jnp.asarray(u)))[rows], disc.jacobian(u)[rows][:, rows]

    return step


def _pointwise_level(disc):
    """The same for F_h(u) = A u + M g(u) − b with g elementwise, on the nodes the level's rows touch only: the
    cost of a level does not grow with the number of levels (2,001 on the paper's Heat2d-LT grid)."""
    import jax
    import jax.numpy as jnp

    coords = disc.nodes()
    local = jax.jit(lambda u, z: disc.pointwise(u, *z.T))
    slope = jax.jit(lambda u, z: jax.jvp(lambda v: disc.pointwise(v, *z.T), (u,), (jnp.ones_like(u),))[1])

    def step(u, rows):
        a_rows, m_rows = disc.A[rows], disc.average[rows]
        cols = np.union1d(a_rows.indices, m_rows.indices)
        a_rows, m_rows = a_rows[:, cols], m_rows[:, cols]
        z = jnp.asarray(coords[cols])
        g = np.asarray(local(jnp.asarray(u[cols]), z))
        r = a_rows @ u[cols] + m_rows @ g - disc.b[rows]
        own = np.searchsorted(cols, rows)  # the level's unknowns among the touched nodes
        dg = np.asarray(slope(jnp.asarray(u[cols]), z))[own]
        return r, a_rows[:, own] + m_rows[:, own] @ sp.diags(dg)

    return step
