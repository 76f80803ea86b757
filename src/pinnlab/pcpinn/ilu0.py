"""ILU(0): the incomplete LU factorisation with no fill (Saad, *Iterative Methods for Sparse Linear Systems*,
2nd ed., Alg. 10.4) — L and U keep exactly the sparsity pattern of A, and (LU)_ij = A_ij on that pattern.

It is the textbook "incomplete" factorisation for PCPINN's Sec. 3 (P = LU ≈ A by ILU, the kind left open there);
unlike a threshold ILU with a tiny drop tolerance, which is a near-exact LU, it drops every fill entry
(``pinnlab.pcpinn.conditioning`` measures how far each is from A⁻¹). The unknowns are factored in time-major order
(``time_major``: every node of time level 0, then level 1, …), the marching order, in which A is block lower
triangular; the grid's own order (time fastest) gave a less accurate ILU(0) on Wave, Burgers and Heat2d-LT
(a larger ‖P⁻¹Av − v‖/‖v‖, measured while choosing). No pivoting.

The factorisation is a row loop on the host (IKJ order): linear in nnz for these stencils, built once for a
linear PDE and every ``rebuild_every`` steps for a nonlinear one. Solves use SuperLU on each triangular factor
with the natural ordering and diagonal pivots, which factors a triangular matrix without fill.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from pinnlab.errors import PinnlabError


def ilu0_factors(matrix: sp.spmatrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(L, U) of ILU(0): L unit lower triangular, U upper triangular, both on A's pattern (explicit zeros of A
    count as pattern)."""
    a = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    a.sort_indices()
    n = a.shape[0]
    indptr, indices = a.indptr.tolist(), a.indices.tolist()
    data = a.data.tolist()
    diag = [-1] * n
    for i in range(n):
        for p in range(indptr[i], indptr[i + 1]):
            if indices[p] == i:
                diag[i] = p
    if min(diag) < 0 or any(data[p] == 0.0 for p in diag):
        raise PinnlabError("ILU(0) needs a nonzero diagonal in every row of the system; use preconditioner "
                           "'ilut' for this PDE")
    where = [-1] * n  # column -> position in the current row (reset after each row)
    for i in range(1, n):
        start, end = indptr[i], indptr[i + 1]
        for p in range(start, end):
            where[indices[p]] = p
        for p in range(start, end):
            k = indices[p]
            if k >= i:
                break
            pivot = data[diag[k]]
            if pivot == 0.0:
                raise PinnlabError(f"ILU(0) met a zero pivot at row {k}; use preconditioner 'ilut' for this PDE")
            data[p] /= pivot
            lik = data[p]
            for q in range(diag[k] + 1, indptr[k + 1]):
                target = where[indices[q]]
                if target >= 0:
                    data[target] -= lik * data[q]
        for p in range(start, end):
            where[indices[p]] = -1
    a.data = np.asarray(data)
    lower = sp.tril(a, k=-1, format="csr") + sp.identity(n, format="csr")
    return lower.tocsr(), sp.triu(a, format="csr")


def _triangular(factor: sp.csr_matrix):
    """SuperLU of a triangular matrix with natural ordering and diagonal pivots: no fill, exact solves in C."""
    return spla.splu(factor.tocsc(), permc_spec="NATURAL", diag_pivot_thresh=0.0,
                     options={"SymmetricMode": True})


def time_major(shape) -> np.ndarray:
    """The permutation that lists a grid's nodes (ij-flattened, time last and fastest) level by level in time."""
    return np.arange(int(np.prod(shape))).reshape(-1, shape[-1]).T.ravel()


class ILU0:
    """P = Qᵀ L U Q, (L, U) = ``ilu0_factors`` of Q A Qᵀ (Q the permutation ``order``; the identity when None);
    ``solve(r, trans)`` applies P⁻¹ ("N") or P⁻ᵀ ("T") to a vector or the columns of a matrix, as SuperLU's objects
    do."""

    def __init__(self, matrix: sp.spmatrix, order: np.ndarray | None = None):
        n = matrix.shape[0]
        self.order = np.arange(n) if order is None else np.asarray(order)
        self.inverse = np.empty(n, dtype=int)
        self.inverse[self.order] = np.arange(n)
        self.L, self.U = ilu0_factors(sp.csr_matrix(matrix)[self.order][:, self.order])
        self._lower, self._upper = _triangular(self.L), _triangular(self.U)

    def solve(self, rhs: np.ndarray, trans: str = "N") -> np.ndarray:
        r = np.asarray(rhs)[self.order]
        if trans == "N":
            return self._upper.solve(self._lower.solve(r))[self.inverse]
        return self._lower.solve(self._upper.solve(r, "T"), "T")[self.inverse]
