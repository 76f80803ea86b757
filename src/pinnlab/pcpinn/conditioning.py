"""What the preconditioner buys, per PDE: condition numbers of A and P⁻¹A, and the accuracy floor of PCPINN.

PCPINN's loss vanishes at the finite-difference solution u_h of F_h(u) = 0 (for a linear PDE and an exact LU,
L_PC = mean (u − u_h)²), so the L2RE of u_h against the reference bounds what PCPINN can reach on that grid.
u_h: a sparse direct solve (linear PDEs) or Newton's method (nonlinear ones, from the initial condition carried
forward in time); it is interpolated (multilinear) to the evaluation grid of the other methods.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse.linalg as spla
from scipy.interpolate import RegularGridInterpolator

from pinnlab.evaluate import Reference
from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.preconditioner import condition_numbers


def fd_solution(disc, newton_steps: int = 20, tol: float = 1e-10) -> np.ndarray:
    """u_h with F_h(u_h) = 0: a direct solve for a linear scheme; for a nonlinear one, Newton's method level by
    level in time (the scheme is implicit and marches: level n depends on levels n and n − 1 only), each level
    starting from the previous one — a global Newton from a poor guess diverges on Burgers and Heat2d-LT."""
    import jax
    import jax.numpy as jnp

    if disc.pointwise is None and disc.burgers_d1 is None:
        return spla.spsolve(disc.A.tocsc(), disc.b)
    times = disc.nodes()[:, -1]
    levels = np.unique(times)
    u = np.where(np.isclose(times, levels[0]), disc.b, 0.0)
    with jax.enable_x64(True):
        residual = jax.jit(disc.residual)
        for prev, level in zip(levels[:-1], levels[1:]):
            rows = np.flatnonzero(np.isclose(times, level))
            u[rows] = u[np.flatnonzero(np.isclose(times, prev))]  # start from the previous level
            for _ in range(newton_steps):
                r = np.asarray(residual(jnp.asarray(u)))[rows]
                if np.linalg.norm(r) <= tol * max(1.0, np.linalg.norm(u[rows])):
                    break
                block = disc.jacobian(u)[rows][:, rows]
                u[rows] -= spla.spsolve(block.tocsc(), r)
    return u


def fd_error(disc, reference: Reference) -> float:
    """L2RE of the finite-difference solution, interpolated to the reference's evaluation grid."""
    values = fd_solution(disc).reshape(disc.shape)
    axes = list(disc.axes)
    if disc.pde.name in ("convection", "reaction"):  # periodic in x: close the grid at x = 2π
        axes[0] = np.append(axes[0], disc.pde.upper[0])
        values = np.concatenate([values, values[:1]], axis=0)
    interp = RegularGridInterpolator(axes, values)
    prediction = interp(reference.points)
    return float(np.linalg.norm(prediction - reference.values) / np.linalg.norm(reference.values))


def conditioning_row(pde, settings: dict, reference: Reference) -> dict:
    small = discretise(pde, settings["conditioning_grid"])
    row = {"pde": pde.name, "conditioning_grid": "×".join(map(str, settings["conditioning_grid"]))}
    matrix = small.A if small.pointwise is None and small.burgers_d1 is None else small.jacobian(fd_solution(small))
    row |= condition_numbers(matrix, settings["drop_tol"], settings["fill_factor"])
    disc = discretise(pde, settings["grid"])
    row |= {"grid": "×".join(map(str, settings["grid"])), "unknowns": disc.size, "fd_l2re": fd_error(disc, reference)}
    return row
