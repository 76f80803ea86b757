"""Lanczos and SLQ against dense Hessians (jax.hessian + eigvalsh) on tiny networks."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

from pinnlab.curvature import hvp
from pinnlab.diagnostics.hessian import lanczos, ritz, slq_density, spectral_norm
from pinnlab.losses import loss_terms
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, fixed_points


def residual_loss(pde, width=4, seed=0):
    net, params = make_network(pde.dim, width, 1, seed)
    params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
    flat, unravel = ravel_pytree(params)
    pts = {k: jnp.asarray(v, jnp.float64) for k, v in
           fixed_points(pde, PointSpec(kind="qmc", n_res=24, n_initial=4, n_boundary=4), seed).items()}
    return (lambda w: loss_terms(pde, net, unravel(w), pts)["res"]), flat


@pytest.mark.parametrize("name", ["convection", "wave", "reaction", "burgers", "heat2d_lt"])
def test_lanczos_norm_matches_the_dense_hessian(name):
    with jax.enable_x64(True):
        f, w = residual_loss(make_pde(name))
        dense = np.linalg.eigvalsh(np.asarray(jax.hessian(f)(w)))
        norm, lo, hi = spectral_norm(lambda v: hvp(f, w, v), w.size, 30, jax.random.key(0), jnp.float64)
        assert float(norm) == pytest.approx(np.abs(dense).max(), rel=1e-8)
        # with as many steps as parameters the Ritz values are the whole spectrum
        values, _ = ritz(*lanczos(lambda v: hvp(f, w, v), w.size, w.size, jax.random.key(1), jnp.float64))
        np.testing.assert_allclose(np.sort(values), dense, atol=1e-8 * np.abs(dense).max())


def test_lanczos_is_deterministic_and_restarts_on_exhausted_krylov_spaces():
    with jax.enable_x64(True):
        a = jnp.diag(jnp.array([5.0, 5.0, 5.0, -2.0, 0.0, 0.0]))  # few distinct eigenvalues: β hits 0 early
        mv = lambda v: a @ v  # noqa: E731
        one = lanczos(mv, 6, 6, jax.random.key(3), jnp.float64)
        two = lanczos(mv, 6, 6, jax.random.key(3), jnp.float64)
        np.testing.assert_array_equal(one[0], two[0])
        values, _ = ritz(*one)
        np.testing.assert_allclose(np.sort(values), [-2, 0, 0, 5, 5, 5], atol=1e-10)


def test_slq_density_integrates_to_one_and_covers_the_spectrum():
    with jax.enable_x64(True):
        f, w = residual_loss(make_pde("wave"), width=3)
        dense = np.linalg.eigvalsh(np.asarray(jax.hessian(f)(w)))
        runs = [ritz(*lanczos(lambda v: hvp(f, w, v), w.size, w.size, jax.random.key(k), jnp.float64))
                for k in range(3)]
        grid, density = slq_density(np.stack([r[0] for r in runs]), np.stack([r[1] for r in runs]))
        assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-9)
        assert grid[0] <= dense.min() and grid[-1] >= dense.max() and (density >= 0).all()
        # the mass sits where the eigenvalues are: near the largest one there is density
        assert density[np.argmin(np.abs(grid - dense.max()))] > 0
