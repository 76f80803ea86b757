"""PCPINN's two preconditioners against dense linear algebra: ILU(0)'s defining property, the solves, and how far
each is from an exact LU (‖P⁻¹Av − v‖/‖v‖); the near-exact one turns L_PC into the fit to u_h."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse as sp

from pinnlab.nets import make_network
from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.fit import FitObjective
from pinnlab.pcpinn.ilu0 import ILU0, ilu0_factors, time_major
from pinnlab.pcpinn.loss import PCPINNObjective
from pinnlab.pcpinn.preconditioner import factorise, relative_residual
from pinnlab.pcpinn.solution import fd_residual, fd_solution
from pinnlab.pdes import make_pde

TINY = {"convection": (8, 6), "wave": (9, 6), "reaction": (8, 6), "burgers": (9, 6), "heat2d_lt": (4, 4, 5)}


def system(name, grid):
    disc = discretise(make_pde(name), grid)
    if disc.pointwise is None and disc.burgers_d1 is None:
        return disc, disc.A
    return disc, disc.jacobian(np.random.default_rng(1).normal(size=disc.size) * 0.5)


def dense_preconditioner(ilu, kind, n) -> np.ndarray:
    """P as a dense matrix, from the factors alone."""
    if kind == "ilu0":
        q = np.eye(n)[ilu.order]  # (Q x) = x[order]
        return q.T @ ilu.L.toarray() @ ilu.U.toarray() @ q
    # SuperLU: Pr P Pc = L U, with Pr[perm_r[i], i] = 1 and Pc[i, perm_c[i]] = 1
    pr = sp.csc_matrix((np.ones(n), (ilu.perm_r, np.arange(n)))).toarray()
    pc = sp.csc_matrix((np.ones(n), (np.arange(n), ilu.perm_c))).toarray()
    return pr.T @ ilu.L.toarray() @ ilu.U.toarray() @ pc.T


@pytest.mark.parametrize("name", list(TINY))
def test_ilu0_is_lu_on_the_pattern_of_a(name):
    """Saad, Alg. 10.4: L unit lower and U upper triangular on A's pattern, with (LU)_ij = A_ij there."""
    _, matrix = system(name, TINY[name])
    matrix = sp.csr_matrix(matrix)
    lower, upper = ilu0_factors(matrix)
    pattern = (abs(matrix) > 0).toarray()
    l_dense, u_dense = lower.toarray(), upper.toarray()
    np.testing.assert_array_equal(np.diag(l_dense), 1.0)
    assert np.all(np.triu(l_dense, 1) == 0) and np.all(np.tril(u_dense, -1) == 0)
    assert not np.any((l_dense - np.eye(len(l_dense)) != 0) & ~pattern) and not np.any((u_dense != 0) & ~pattern)
    product = l_dense @ u_dense
    np.testing.assert_allclose(product[pattern], matrix.toarray()[pattern], rtol=1e-12,
                               atol=1e-12 * abs(matrix).max())


def test_ilu0_of_a_tridiagonal_matrix_is_its_lu():
    """A tridiagonal matrix has no fill: its ILU(0) is the exact LU."""
    n = 30
    rng = np.random.default_rng(0)
    matrix = sp.diags([rng.normal(size=n - 1), 4 + rng.random(n), rng.normal(size=n - 1)], [-1, 0, 1]).tocsr()
    ilu = ILU0(matrix)
    assert relative_residual(ilu, matrix) < 1e-13
    np.testing.assert_allclose(ilu.L.toarray() @ ilu.U.toarray(), matrix.toarray(), atol=1e-13)


@pytest.mark.parametrize("kind", ["ilu0", "ilut"])
@pytest.mark.parametrize("name", ["convection", "wave", "burgers", "heat2d_lt"])
def test_solves_and_relative_residual_match_dense_linear_algebra(name, kind):
    disc, matrix = system(name, TINY[name])
    ilu, _ = factorise(matrix, kind, 1e-6, 30, time_major(disc.shape))
    n = matrix.shape[0]
    p = dense_preconditioner(ilu, kind, n)
    r = np.random.default_rng(2).normal(size=(n, 3))
    np.testing.assert_allclose(ilu.solve(r), np.linalg.solve(p, r), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ilu.solve(r, "T"), np.linalg.solve(p.T, r), rtol=1e-8, atol=1e-10)
    v = np.random.default_rng(0).standard_normal(n)  # relative_residual's probe
    dense = np.linalg.norm(np.linalg.solve(p, matrix.toarray() @ v) - v) / np.linalg.norm(v)
    assert relative_residual(ilu, matrix) == pytest.approx(dense, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("name, grid", [("convection", (32, 21)), ("wave", (33, 21)), ("burgers", (33, 21))])
def test_ilu0_is_far_less_exact_than_the_near_exact_ilu(name, grid):
    disc, matrix = system(name, grid)
    near, _ = factorise(matrix, "ilut", 1e-6, 30)
    ilu0, _ = factorise(matrix, "ilu0", 1e-6, 30, time_major(disc.shape))
    exact, incomplete = relative_residual(near, matrix), relative_residual(ilu0, matrix)
    assert exact < 1e-3 and incomplete > 1e-2 and incomplete > 1e3 * exact, (exact, incomplete)


def test_the_issues_measurement_on_quick_convection():
    """The quick Convection grid (issue #13, point 6): the near-exact ILU leaves ‖P⁻¹Av − v‖/‖v‖ far below 1;
    ILU(0) amplifies."""
    disc = discretise(make_pde("convection"), (128, 201))
    near, facts = factorise(disc.A, "ilut", 1e-6, 30)
    assert facts["drop_tol"] == 1e-6 and relative_residual(near, disc.A) < 1e-3
    assert relative_residual(factorise(disc.A, "ilu0", 0, 0, time_major(disc.shape))[0], disc.A) > 1


def test_reaction_is_triangular_so_every_ilu_is_exact():
    """Reaction has no spatial coupling: A (and its Jacobian) is lower triangular in the grid's order, so ILU(0)
    drops nothing — the ILU(0) control cannot differ from PCPINN there."""
    disc, matrix = system("reaction", (16, 11))
    assert sp.triu(matrix, 1).nnz == 0
    assert relative_residual(ILU0(matrix, time_major(disc.shape)), matrix) < 1e-12


class FakeTrainer:
    def __init__(self, net):
        self.net = net


def test_near_exact_pcpinn_loss_is_the_fit_to_u_h():
    """A linear PDE with P ≈ A: L_PC = mean [P⁻¹(A u − b)]² = mean (u − u_h)²; with ILU(0) it is not."""
    pde = make_pde("convection")
    settings = {"grid": (16, 11), "drop_tol": 1e-6, "fill_factor": 30, "rebuild_every": 10,
                "linearisation": "newton"}
    with jax.enable_x64(True):
        net, params = make_network(2, 8, 2, seed=3)
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        fit = FitObjective(pde, settings).bind(FakeTrainer(net))(params, None, {"fit": 1.0})[0]
        losses = {}
        for kind in ("ilut", "ilu0"):
            objective = PCPINNObjective(pde, settings, kind)
            fn = objective.bind(FakeTrainer(net))
            objective.before_chunk(0, params)
            losses[kind] = float(fn(params, None, {"pc": 1.0})[0])
    assert losses["ilut"] == pytest.approx(float(fit), rel=1e-5)
    assert abs(losses["ilu0"] - float(fit)) > 0.5 * float(fit)


@pytest.mark.parametrize("name, grid, t_end", [("reaction", (16, 11), None), ("burgers", (17, 11), None),
                                               ("heat2d_lt", (9, 9, 11), 0.5)])
def test_fd_solution_solves_the_scheme(name, grid, t_end):
    """u_h makes the whole-grid F_h vanish (Heat2d-LT's u_h comes from a level-local Newton)."""
    pde = make_pde(name)
    if t_end is not None:
        pde = dataclasses.replace(pde, t_end=t_end)  # Δt = 0.05: Newton converges at every level
    disc = discretise(pde, grid)
    assert fd_residual(disc, fd_solution(disc)) < 1e-9


def test_fd_residual_flags_a_non_solution():
    disc = discretise(make_pde("convection"), (16, 11))
    assert fd_residual(disc, fd_solution(disc)) < 1e-12
    assert fd_residual(disc, np.zeros(disc.size)) == pytest.approx(1.0)
