"""Finite-difference discretisations F_h(u) = A u + N(u) − b = 0 on space-time grids, one per PDE.

Every scheme is second order in space and time (truncation error O(Δx² + Δt²), tested): central differences
in space (periodic for Convection / Reaction, Dirichlet rows elsewhere) and
- Crank–Nicolson in time for the first-order PDEs (rows at t_{n−½}: (uⁿ − uⁿ⁻¹)/Δt + ½[ℒ(uⁿ) + ℒ(uⁿ⁻¹)] = 0,
  nonlinear terms averaged the same way);
- for the wave equation the implicit average (uⁿ − 2uⁿ⁻¹ + uⁿ⁻²)/Δt² − c² D₂(uⁿ + 2uⁿ⁻¹ + uⁿ⁻²)/4 = 0
  (rows at t_{n−1}), with u_t(x, 0) = 0 folded into the first step by the symmetric ghost value u⁻¹ = u¹.
The unknowns are u at every node (time slowest); the initial condition and the boundary conditions are rows
of the system (u = g), so the system is square and its solution is the implicit time-marching solution.
The linear part A is a ``scipy.sparse`` matrix; the nonlinear part N is written with ``jax.numpy`` (the
PCPINN loss differentiates through it) and its Jacobian, for the preconditioner, is assembled sparse.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp

from pinnlab.errors import PinnlabError


def _d1(n, h, periodic):
    m = sp.diags([-1.0, 1.0], [-1, 1], shape=(n, n), format="lil") / (2 * h)
    if periodic:
        m[0, n - 1], m[n - 1, 0] = -1 / (2 * h), 1 / (2 * h)
    return m.tocsr()


def _d2(n, h, periodic):
    m = sp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n), format="lil") / h**2
    if periodic:
        m[0, n - 1] = m[n - 1, 0] = 1 / h**2
    return m.tocsr()


@dataclass
class Discretisation:
    """A space-time grid and F_h(u) = A u + N(u) − b; ``u`` is the flat vector of nodal values."""

    pde: object
    axes: tuple            # node coordinates per input axis (time last)
    A: sp.csr_matrix       # linear part, with IC / BC rows
    b: np.ndarray
    pde_rows: np.ndarray   # bool per row: a PDE row (not IC / BC)
    row_times: np.ndarray  # per row, the time at which a PDE row is centred (NaN for IC / BC rows)
    average: sp.csr_matrix  # how per-level nonlinear terms enter the rows (CN average), PDE rows only
    pointwise: object = None  # g(u, *coords) → elementwise nonlinear term, or None
    burgers_d1: sp.csr_matrix | None = None  # Burgers: N = ⅓[u ⊙ D₁u + D₁(u²)] per level (skew-symmetric)

    @property
    def shape(self):
        return tuple(len(a) for a in self.axes)

    @property
    def size(self):
        return int(np.prod(self.shape))

    def nodes(self) -> np.ndarray:
        mesh = np.meshgrid(*self.axes, indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=-1)

    def _levels(self, u, xp):
        """Per-node nonlinear term (time levels are rows of the flattened grid in the ij order with t last)."""
        if self.pointwise is not None:
            coords = [c for c in self._coords(xp)]
            return self.pointwise(u, *coords)
        if self.burgers_d1 is not None:
            # skew-symmetric form of u u_x: conserves the discrete energy, so the central scheme stays bounded
            # through the shock that it cannot resolve (the advective form u ⊙ D₁u blows up, measured)
            grid = u.reshape(self.shape)  # (nx, nt)
            d1 = xp.asarray(self.burgers_d1.toarray()) if xp is jnp else self.burgers_d1
            return ((grid * (d1 @ grid) + d1 @ grid**2) / 3).reshape(-1)
        return xp.zeros_like(u)

    def _coords(self, xp):
        nodes = self.nodes()
        return [xp.asarray(nodes[:, i]) for i in range(nodes.shape[1])]

    def nonlinear(self, u):
        """N(u) as rows (jax.numpy, differentiable)."""
        if self.pointwise is None and self.burgers_d1 is None:
            return jnp.zeros_like(u)
        return _sparse_matvec(self.average, self._levels(u, jnp))

    def residual(self, u):
        """F_h(u) = A u + N(u) − b (jax.numpy)."""
        return _sparse_matvec(self.A, u) + self.nonlinear(u) - jnp.asarray(self.b, u.dtype)

    def jacobian(self, u: np.ndarray) -> sp.csr_matrix:
        """∂F_h/∂u at ``u`` (numpy), sparse: the matrix the ILU preconditioner approximates."""
        if self.pointwise is None and self.burgers_d1 is None:
            return self.A
        u = np.asarray(u, np.float64)
        if self.pointwise is not None:
            with jax.enable_x64(True):
                coords = self._coords(jnp)
                du = jax.jvp(lambda v: self.pointwise(v, *coords), (jnp.asarray(u),), (jnp.ones_like(u),))[1]
            local = sp.diags(np.asarray(du))
        else:
            nx, nt = self.shape
            grid = u.reshape(nx, nt)
            ux = self.burgers_d1 @ grid
            # d⅓[u ⊙ D₁u + D₁(u²)]/du per time level: ⅓[diag(D₁uⁿ) + diag(uⁿ) D₁ + 2 D₁ diag(uⁿ)]
            d1 = self.burgers_d1
            blocks = [(sp.diags(ux[:, n]) + sp.diags(grid[:, n]) @ d1 + 2 * d1 @ sp.diags(grid[:, n])) / 3
                      for n in range(nt)]
            level = sp.block_diag(blocks, format="csr")
            order = np.arange(nx * nt).reshape(nx, nt).T.ravel()  # level-major → node order
            perm = sp.csr_matrix((np.ones(nx * nt), (order, np.arange(nx * nt))), shape=(nx * nt, nx * nt))
            local = perm @ level @ perm.T
        return (self.A + self.average @ local).tocsr()


def _sparse_matvec(m: sp.csr_matrix, v):
    """Sparse matrix times a JAX vector (segment sum over the nonzeros; differentiable, jit-friendly)."""
    coo = m.tocoo()
    rows, cols = jnp.asarray(coo.row), jnp.asarray(coo.col)
    data = jnp.asarray(coo.data, v.dtype)
    return jax.ops.segment_sum(data * v[cols], rows, num_segments=m.shape[0])


def _kron_time(time_op, space_op):
    """Operator acting on the ij-flattened grid with time LAST: kron(space_identity…, time) ordering."""
    return sp.kron(space_op, time_op, format="csr")


def discretise(pde, grid) -> Discretisation:
    """The scheme for ``pde`` on ``grid`` (nodes per input axis, time last)."""
    name = pde.name
    builders = {"convection": _first_order_1d, "reaction": _first_order_1d, "burgers": _first_order_1d,
                "wave": _wave, "heat2d_lt": _heat}
    if name not in builders:
        raise PinnlabError(f"no finite-difference discretisation for {name}; PCPINN supports {sorted(builders)}")
    if len(grid) != pde.dim:
        raise PinnlabError(f"pcpinn.grid for {name} needs {pde.dim} sizes ({', '.join(pde.input_names)})")
    return builders[name](pde, tuple(int(n) for n in grid))


def _time_ops(nt, dt):
    eye = sp.identity(nt, format="csr")
    shift = sp.diags([1.0], [-1], shape=(nt, nt), format="csr")  # picks uⁿ⁻¹ on row n
    return (eye - shift) / dt, (eye + shift) / 2


def _assemble(pde, axes, A, condition_mask, values, average, centre, **extra) -> Discretisation:
    """Replace IC / BC rows of A by identity rows with right-hand side ``values``.

    ``centre(t_node)``: the time at which the PDE row of a node at time t_node is centred."""
    keep = sp.diags((~condition_mask).astype(float))
    A = (keep @ A + sp.diags(condition_mask.astype(float))).tocsr()
    b = np.where(condition_mask, values, 0.0)
    average = (keep @ average).tocsr()
    A.eliminate_zeros()
    t_node = np.meshgrid(*axes, indexing="ij")[-1].ravel()
    row_times = np.where(condition_mask, np.nan, centre(t_node))
    return Discretisation(pde=pde, axes=axes, A=A, b=b, pde_rows=~condition_mask, row_times=row_times,
                          average=average, **extra)


def _first_order_1d(pde, grid):
    nx, nt = grid
    periodic = pde.name in ("convection", "reaction")
    lo, hi = pde.lower[0], pde.upper[0]
    x = lo + (hi - lo) * (np.arange(nx) / nx if periodic else np.linspace(0, 1, nx))
    h = (hi - lo) / nx if periodic else x[1] - x[0]
    t = np.linspace(pde.lower[1], pde.upper[1], nt)
    dt = t[1] - t[0]
    t_diff, t_avg = _time_ops(nt, dt)
    if pde.name == "convection":
        space = pde.beta * _d1(nx, h, True)
    elif pde.name == "reaction":
        space = sp.csr_matrix((nx, nx))
    else:  # burgers: −ν u_xx linear, u u_x nonlinear
        space = -pde.nu * _d2(nx, h, False)
    A = _kron_time(t_diff, sp.identity(nx)) + _kron_time(t_avg, space)
    average = _kron_time(t_avg, sp.identity(nx))
    X, T = np.meshgrid(x, t, indexing="ij")
    initial = np.isclose(T, t[0])
    boundary = np.zeros_like(initial) if periodic else (np.isclose(X, lo) | np.isclose(X, hi))
    mask = (initial | boundary).ravel()
    values = np.where(initial, np.asarray(pde.initial(X, xp=np)) if pde.name != "convection" else np.sin(X), 0.0)
    extra = {}
    if pde.name == "reaction":
        extra["pointwise"] = lambda u, xx, tt: -pde.rho * u * (1 - u)
    elif pde.name == "burgers":
        extra["burgers_d1"] = _d1(nx, h, False)
    return _assemble(pde, (x, t), A, mask, values.ravel(), average, lambda tn: tn - dt / 2, **extra)


def _wave(pde, grid):
    nx, nt = grid
    x = np.linspace(pde.lower[0], pde.upper[0], nx)
    t = np.linspace(pde.lower[1], pde.upper[1], nt)
    h, dt = x[1] - x[0], t[1] - t[0]
    second = sp.lil_matrix((nt, nt))
    avg = sp.lil_matrix((nt, nt))
    for n in range(2, nt):
        second[n, n], second[n, n - 1], second[n, n - 2] = 1 / dt**2, -2 / dt**2, 1 / dt**2
        avg[n, n], avg[n, n - 1], avg[n, n - 2] = 0.25, 0.5, 0.25
    # first step with the ghost value u⁻¹ = u¹ (u_t(x, 0) = 0)
    second[1, 1], second[1, 0] = 2 / dt**2, -2 / dt**2
    avg[1, 1], avg[1, 0] = 0.5, 0.5
    A = _kron_time(second.tocsr(), sp.identity(nx)) - pde.c_squared * _kron_time(avg.tocsr(), _d2(nx, h, False))
    X, T = np.meshgrid(x, t, indexing="ij")
    initial = np.isclose(T, t[0])
    boundary = np.isclose(X, x[0]) | np.isclose(X, x[-1])
    g = np.sin(np.pi * X) + 0.5 * np.sin(pde.beta * np.pi * X)
    values = np.where(initial, g, 0.0)
    return _assemble(pde, (x, t), A, (initial | boundary).ravel(), values.ravel(), sp.csr_matrix(A.shape),
                     lambda tn: np.maximum(tn - dt, 0.0))


def _heat(pde, grid):
    nx, ny, nt = grid
    x = np.linspace(0.0, 1.0, nx)
    y = np.linspace(0.0, 1.0, ny)
    t = np.linspace(0.0, pde.t_end, nt)
    hx, hy, dt = x[1] - x[0], y[1] - y[0], t[1] - t[0]
    lap = sp.kron(_d2(nx, hx, False), sp.identity(ny)) + sp.kron(sp.identity(nx), _d2(ny, hy, False))
    t_diff, t_avg = _time_ops(nt, dt)
    A = _kron_time(t_diff, sp.identity(nx * ny)) - pde.diffusivity * _kron_time(t_avg, lap)
    average = _kron_time(t_avg, sp.identity(nx * ny))
    X, Y, T = np.meshgrid(x, y, t, indexing="ij")
    initial = np.isclose(T, 0.0)
    boundary = np.isclose(X, 0) | np.isclose(X, 1) | np.isclose(Y, 0) | np.isclose(Y, 1)
    values = np.where(initial, np.asarray(pde.initial(X, Y, xp=np)), 0.0)
    return _assemble(pde, (x, y, t), A, (initial | boundary).ravel(), values.ravel(), average,
                     lambda tn: tn - dt / 2, pointwise=lambda u, xx, yy, tt: -pde.source(u, xx, yy, tt, xp=jnp))
