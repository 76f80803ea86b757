"""What the preconditioner buys, per PDE: condition numbers of A and P⁻¹A, how near P is to an exact LU, and the
accuracy floor of PCPINN.

PCPINN's loss vanishes at the finite-difference solution u_h of F_h(u) = 0, so the L2RE of u_h against the
reference bounds what PCPINN can reach on that grid. Near u_h, P⁻¹F_h(u) ≈ P⁻¹J (u − u_h) (J the Jacobian of F_h
at u_h, A for a linear PDE): where ‖P⁻¹Jv − v‖/‖v‖ is small, L_PC ≈ mean (u − u_h)², a supervised fit to u_h —
the ``fit_uh`` control trains exactly that. u_h: ``pinnlab.pcpinn.solution``; it is interpolated (multilinear) to
the evaluation grid of the other methods.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from pinnlab.evaluate import Reference
from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.ilu0 import time_major
from pinnlab.pcpinn.preconditioner import PRECONDITIONERS, condition_numbers, factorise, relative_residual
from pinnlab.pcpinn.solution import fd_residual, fd_solution


def fd_error(disc, reference: Reference, u_h: np.ndarray | None = None) -> float:
    """L2RE of the finite-difference solution (``u_h``, solved when not given), interpolated to the reference's
    evaluation grid."""
    values = (fd_solution(disc) if u_h is None else u_h).reshape(disc.shape)
    axes = list(disc.axes)
    if disc.pde.name in ("convection", "reaction"):  # periodic in x: close the grid at x = 2π
        axes[0] = np.append(axes[0], disc.pde.upper[0])
        values = np.concatenate([values, values[:1]], axis=0)
    interp = RegularGridInterpolator(axes, values)
    prediction = interp(reference.points)
    return float(np.linalg.norm(prediction - reference.values) / np.linalg.norm(reference.values))


def system_matrices(disc, settings: dict, u_h: np.ndarray):
    """(J, M): the Jacobian of F_h at u_h — the matrix that maps a network's error near u_h to its residual — and
    the matrix that PCPINN's preconditioner factorises (J for a linear PDE or ``linearisation: newton``, the
    linear part A for ``linearisation: linear``)."""
    if disc.pointwise is None and disc.burgers_d1 is None:
        return disc.A, disc.A
    jacobian = disc.jacobian(u_h)
    return jacobian, (disc.A if settings["linearisation"] == "linear" else jacobian)


def conditioning_row(pde, settings: dict, reference: Reference) -> dict:
    """One PDE: κ(J) and κ(P⁻¹J) on the small grid (dense SVDs), and ‖P⁻¹Jv − v‖/‖v‖ on the training grid, for
    each preconditioner of ``PRECONDITIONERS`` (columns without a suffix: ``ilut``, the PCPINN column's)."""
    small = discretise(pde, settings["conditioning_grid"])
    small_j, small_m = system_matrices(small, settings, fd_solution(small))
    disc = discretise(pde, settings["grid"])
    u_h = fd_solution(disc)
    jacobian, factorised = system_matrices(disc, settings, u_h)
    row = {"pde": pde.name, "conditioning_grid": "×".join(map(str, settings["conditioning_grid"]))}
    for kind in PRECONDITIONERS:
        suffix = "" if kind == "ilut" else f"_{kind}"
        cond = condition_numbers(small_j, settings["drop_tol"], settings["fill_factor"], kind, factorised=small_m,
                                 order=time_major(small.shape))
        ilu, facts = factorise(factorised, kind, settings["drop_tol"], settings["fill_factor"], time_major(disc.shape))
        row |= {"cond_A": cond["cond_A"], "nnz_A": cond["nnz_A"], f"cond_PinvA{suffix}": cond["cond_PinvA"],
                f"nnz_LU{suffix}": facts["nnz_LU"], f"relres{suffix}": relative_residual(ilu, jacobian)}
        if kind == "ilut":
            row |= {"drop_tol": facts["drop_tol"], "fill_factor": facts["fill_factor"]}
    row |= {"grid": "×".join(map(str, settings["grid"])), "unknowns": disc.size,
            "fd_residual": fd_residual(disc, u_h), "fd_l2re": fd_error(disc, reference, u_h)}
    return row
