"""The finite-difference operators against the PDEs' own residuals: truncation error falls at second order."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pdes import make_pde

# Smooth fields put through both the discrete operator and the continuous residual (a manufactured solution
# for the PDEs without a usable exact one; the exact solution for the others).
MANUFACTURED = {
    "burgers": lambda z: jnp.sin(jnp.pi * z[0]) * jnp.cos(1.3 * z[1]) + 0.2 * z[0] * z[1],
    "heat2d_lt": lambda z: jnp.sin(jnp.pi * z[0]) * jnp.sin(2 * jnp.pi * z[1]) * jnp.cos(0.05 * z[2]),
}
GRIDS = {"convection": [(64, 161), (128, 321)], "reaction": [(32, 21), (64, 41)], "wave": [(33, 33), (65, 65)],
         "burgers": [(33, 17), (65, 33)], "heat2d_lt": [(9, 9, 11), (17, 17, 21)]}


def truncation_error(pde, grid, field):
    disc = discretise(pde, grid)
    with jax.enable_x64(True):
        nodes = jnp.asarray(disc.nodes())
        u = jax.vmap(field)(nodes)
        discrete = np.asarray(disc.residual(u))
        rows = disc.pde_rows
        centres = np.asarray(nodes)[rows].copy()
        centres[:, -1] = disc.row_times[rows]
        continuous = np.asarray(jax.vmap(lambda z: pde.residual(field, z))(jnp.asarray(centres)))
    return np.max(np.abs(discrete[rows] - continuous)), disc


@pytest.mark.parametrize("name", ["convection", "reaction", "wave", "burgers", "heat2d_lt"])
def test_truncation_error_is_second_order(name):
    pde = make_pde(name)
    if name == "heat2d_lt":
        pde = dataclasses.replace(pde, t_end=10.0)  # a shorter horizon keeps the grid small
    field = MANUFACTURED.get(name, pde.exact if pde.has_exact else None)
    coarse, _ = truncation_error(pde, GRIDS[name][0], field)
    fine, disc = truncation_error(pde, GRIDS[name][1], field)
    assert fine < coarse
    assert coarse / fine == pytest.approx(4.0, rel=0.25), (coarse, fine)
    assert disc.A.shape == (disc.size, disc.size)


@pytest.mark.parametrize("name", ["convection", "reaction", "wave", "burgers"])
def test_condition_rows_hold_the_initial_and_boundary_values(name):
    pde = make_pde(name)
    disc = discretise(pde, GRIDS[name][0])
    ic_rows = ~disc.pde_rows & np.isclose(disc.nodes()[:, -1], 0.0)
    x = disc.nodes()[ic_rows, 0]
    expected = {"convection": lambda: np.sin(x), "reaction": lambda: np.asarray(pde.initial(x, xp=np)),
                "wave": lambda: np.sin(np.pi * x) + 0.5 * np.sin(pde.beta * np.pi * x),
                "burgers": lambda: -np.sin(np.pi * x)}[name]()
    np.testing.assert_allclose(disc.b[ic_rows], expected, atol=1e-12)
    # identity rows: the IC / BC rows of A pick the node's own value
    rows = np.flatnonzero(~disc.pde_rows)
    np.testing.assert_array_equal(disc.A[rows].toarray(), np.eye(disc.size)[rows])


@pytest.mark.parametrize("name", ["reaction", "burgers", "heat2d_lt"])
def test_sparse_jacobian_matches_autodiff(name):
    pde = make_pde(name)
    grid = {"reaction": (8, 5), "burgers": (9, 5), "heat2d_lt": (5, 5, 4)}[name]
    disc = discretise(pde, grid)
    u = np.random.default_rng(0).normal(size=disc.size) * 0.5
    with jax.enable_x64(True):
        dense = np.asarray(jax.jacfwd(disc.residual)(jnp.asarray(u)))
    np.testing.assert_allclose(disc.jacobian(u).toarray(), dense, atol=1e-10)
