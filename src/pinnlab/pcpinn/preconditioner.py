"""The ILU preconditioner P = L U ≈ A and its application inside JAX.

Two factorisations (``PRECONDITIONERS``): ``ilut``, the threshold ILU of ``scipy.sparse.linalg.spilu`` — at the
config's drop tolerance 1e-6 and fill factor 30 it is a near-exact LU (P⁻¹A ≈ I, measured by
``relative_residual``), so L_PC is close to a supervised fit to the finite-difference solution; and ``ilu0``, the
no-fill ILU(0) (``pinnlab.pcpinn.ilu0``), a genuinely incomplete one.

P⁻¹ is applied by sparse triangular solves on the host (``jax.pure_callback``), wrapped in
``jax.custom_derivatives.linear_call`` with P⁻ᵀ as its transpose: the loss is differentiable in reverse
mode (gradients), forward mode, and forward-over-reverse (the HVPs of NNCG), inside ``jit`` and ``lax.scan``,
on a CPU or a GPU (one host round trip of N numbers per application). The factors can be rebuilt between
compiled chunks without recompiling: the callback reads the current factorisation.
"""

from __future__ import annotations

import jax
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from jax.custom_derivatives import linear_call

from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.pcpinn.ilu0 import ILU0


def incomplete_lu(matrix: sp.spmatrix, drop_tol: float, fill_factor: float, attempts: int = 4):
    """``spilu`` with the given settings; when they give a singular factor (the fill cap drops entries that
    pivots need — measured on the wave and convection systems), retry with drop_tol ÷ 100 and fill × 2.
    Returns (factorisation, settings used)."""
    csc = sp.csc_matrix(matrix)
    for _ in range(attempts):
        try:
            return spla.spilu(csc, drop_tol=drop_tol, fill_factor=fill_factor), (drop_tol, fill_factor)
        except RuntimeError:
            drop_tol, fill_factor = drop_tol / 100, fill_factor * 2
    raise PinnlabError(f"incomplete LU failed ({attempts} attempts down to drop_tol {drop_tol * 100:g}); "
                       "lower pcpinn.drop_tol or raise pcpinn.fill_factor in the config")


PRECONDITIONERS = ("ilut", "ilu0")
"""``ilut``: spilu at ``pcpinn.drop_tol`` / ``fill_factor`` (near-exact at the defaults); ``ilu0``: ILU(0)."""


def factorise(matrix: sp.spmatrix, kind: str, drop_tol: float, fill_factor: float, order=None):
    """(factorisation with ``solve(rhs, trans)``, facts: nonzeros of L + U and the ILUT settings used);
    ``order``: the permutation ILU(0) factors in (``ilu0.time_major``; spilu orders the columns itself)."""
    if kind == "ilu0":
        ilu = ILU0(matrix, order)
        return ilu, {"nnz_LU": int(ilu.L.nnz + ilu.U.nnz), "drop_tol": None, "fill_factor": None}
    if kind != "ilut":
        raise unknown_name("preconditioner", kind, PRECONDITIONERS)
    ilu, (used_tol, used_fill) = incomplete_lu(matrix, drop_tol, fill_factor)
    return ilu, {"nnz_LU": int(ilu.L.nnz + ilu.U.nnz), "drop_tol": used_tol, "fill_factor": used_fill}


def relative_residual(ilu, matrix: sp.spmatrix, seed: int = 0) -> float:
    """‖P⁻¹A v − v‖ / ‖v‖ for a standard normal v: how far P is from an exact LU (0 for P = A)."""
    v = np.random.default_rng(seed).standard_normal(matrix.shape[0])
    return float(np.linalg.norm(ilu.solve(matrix @ v) - v) / np.linalg.norm(v))


class IluPreconditioner:
    def __init__(self, drop_tol: float = 1e-6, fill_factor: float = 30.0, kind: str = "ilut", order=None):
        self.drop_tol, self.fill_factor, self.kind, self.order = drop_tol, fill_factor, kind, order
        self.ilu = None
        self.used = None  # the facts of the current factorisation (``factorise``)

    def build(self, matrix: sp.spmatrix) -> None:
        self.ilu, self.used = factorise(matrix, self.kind, self.drop_tol, self.fill_factor, self.order)

    def _solve(self, trans: str):
        def host(r):
            return self.ilu.solve(np.asarray(r, np.float64), trans).astype(np.asarray(r).dtype)

        return lambda r: jax.pure_callback(host, jax.ShapeDtypeStruct(r.shape, r.dtype), r)

    def apply(self, r):
        """P⁻¹ r, linear in r, with P⁻ᵀ as its transpose."""
        return linear_call(lambda _, v: self._solve("N")(v), lambda _, v: self._solve("T")(v), None, r)


def condition_numbers(matrix: sp.spmatrix, drop_tol: float, fill_factor: float, kind: str = "ilut",
                      factorised: sp.spmatrix | None = None, order=None) -> dict:
    """2-norm condition numbers of A and of P⁻¹A (dense SVDs: call it on a small grid); P factorises
    ``factorised`` (default A: a nonlinear PDE's preconditioner may be built from its linear part alone)."""
    dense = matrix.toarray()
    ilu, facts = factorise(matrix if factorised is None else factorised, kind, drop_tol, fill_factor, order)
    preconditioned = ilu.solve(dense)
    return {"cond_A": float(np.linalg.cond(dense)), "cond_PinvA": float(np.linalg.cond(preconditioned)),
            "n": int(matrix.shape[0]), "nnz_A": int(matrix.nnz), **facts}
