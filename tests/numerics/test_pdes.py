"""The PDE zoo against independent truths: exact solutions, closed-form derivatives, finite differences."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pinnlab.errors import PinnlabError
from pinnlab.pdes import PDE_CLASSES, make_pde, partial
from pinnlab.sampling import PointSpec, fixed_points

EXACT = ["convection", "reaction", "wave", "klein_gordon", "poisson1d"]


def random_interior(pde, n=64, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = np.array(pde.lower), np.array(pde.upper)
    return lo + (hi - lo) * rng.uniform(0.02, 0.98, size=(n, pde.dim))


def test_partial_matches_closed_form_and_finite_differences():
    f = lambda z: jnp.sin(2 * z[0]) * jnp.exp(0.5 * z[1])  # noqa: E731
    with jax.enable_x64(True):
        z = jnp.asarray(np.array([0.3, -0.7]))
        assert partial(f, 0)(z) == pytest.approx(2 * np.cos(0.6) * np.exp(-0.35), rel=1e-12)
        assert partial(f, 0, 2)(z) == pytest.approx(-4 * np.sin(0.6) * np.exp(-0.35), rel=1e-12)
        assert partial(f, 1, 2)(z) == pytest.approx(0.25 * np.sin(0.6) * np.exp(-0.35), rel=1e-12)
        h = 1e-4
        fd = (f(z + jnp.array([0, h])) - 2 * f(z) + f(z - jnp.array([0, h]))) / h**2
        assert partial(f, 1, 2)(z) == pytest.approx(float(fd), rel=1e-6)


@pytest.mark.parametrize("name", EXACT)
def test_exact_solution_has_zero_residual(name):
    pde = make_pde(name)
    with jax.enable_x64(True):
        z = jnp.asarray(random_interior(pde))
        r = jax.vmap(lambda p: pde.residual(pde.exact, p))(z)
        scale = 1 + float(jnp.max(jnp.abs(jax.vmap(partial(pde.exact, pde.dim - 1))(z))))  # size of the terms
        assert float(jnp.max(jnp.abs(r))) < 1e-9 * scale


@pytest.mark.parametrize("name", EXACT)
def test_conditions_hold_on_exact_solution(name):
    pde = make_pde(name)
    spec = PointSpec(kind="qmc", n_res=16, n_initial=32, n_boundary=32)
    points = fixed_points(pde, spec, seed=0)
    with jax.enable_x64(True):
        for cond in pde.conditions():
            z = jnp.asarray(points[cond.name], dtype=jnp.float64)
            r = jax.vmap(lambda p, c=cond: c.residual(pde.exact, p))(z)
            assert float(jnp.max(jnp.abs(r))) < 1e-6, cond.name  # float32 points on the face


def test_residual_is_not_zero_for_a_wrong_function():
    # the zero-residual test above could pass with an operator that is identically zero
    for name in EXACT:
        pde = make_pde(name)
        wrong = lambda z, p=pde: p.exact(z) + 0.1 * jnp.sin(3 * z[0]) * z[-1] ** 2  # noqa: E731
        z = jnp.asarray(random_interior(pde, 8), dtype=jnp.float32)
        r = jax.vmap(lambda q: pde.residual(wrong, q))(z)
        assert float(jnp.max(jnp.abs(r))) > 1e-2, name


def test_klein_gordon_forcing_closed_form_matches_autodiff():
    pde = make_pde("klein_gordon")
    with jax.enable_x64(True):
        z = jnp.asarray(random_interior(pde))
        auto = jax.vmap(lambda p: partial(pde.exact, 1, 2)(p) + pde.alpha * partial(pde.exact, 0, 2)(p)
                        + pde.gamma * pde.exact(p) ** 3)(z)
        assert np.allclose(auto, jax.vmap(pde.forcing)(z), rtol=1e-10, atol=1e-9)


def test_wave_beta_changes_the_solution():
    w5, w4 = make_pde("wave", beta=5), make_pde("wave", beta=4)
    z = jnp.array([0.3, 0.0])
    assert float(w5.exact(z)) == pytest.approx(np.sin(0.3 * np.pi) + 0.5 * np.sin(1.5 * np.pi), rel=1e-5)
    assert float(w4.exact(z)) == pytest.approx(np.sin(0.3 * np.pi) + 0.5 * np.sin(1.2 * np.pi), rel=1e-5)


def test_burgers_and_heat_residuals_on_simple_fields():
    burgers = make_pde("burgers")
    u = lambda z: z[0] * z[1]  # u_t + u u_x − ν u_xx = x + x t · t  # noqa: E731
    z = jnp.array([0.4, 0.5])
    assert float(burgers.residual(u, z)) == pytest.approx(0.4 + 0.4 * 0.5 * 0.5, rel=1e-5)
    heat = dataclasses.replace(make_pde("heat2d_lt"), amplitude=0.0)
    v = lambda z: z[0] ** 2 + z[2]  # u_t − D Δu = 1 − 2D  # noqa: E731
    assert float(heat.residual(v, jnp.array([0.2, 0.3, 1.0]))) == pytest.approx(1 - 2e-3, rel=1e-5)


def test_every_pde_is_complete():
    for name, cls in PDE_CLASSES.items():
        pde = cls()
        assert pde.name == name and len(pde.lower) == len(pde.upper) == pde.dim
        assert pde.term_names()[0] == "res" and len(set(pde.term_names())) == len(pde.term_names())
        assert all(len(a) >= 2 for a in pde.eval_axes())


def test_unknown_pde_and_constant_name_the_valid_ones():
    with pytest.raises(PinnlabError, match="valid PDEs: .*burgers"):
        make_pde("navier_stokes")
    with pytest.raises(PinnlabError, match="its constants are .*beta"):
        make_pde("convection", rho=3)


@pytest.mark.parametrize("name", sorted(PDE_CLASSES))
def test_forward_and_reverse_mode_residuals_agree(name):
    """The residuals run on forward-mode input derivatives; nested reverse mode must give the same numbers."""
    from pinnlab.nets import make_network
    from pinnlab.pdes.base import derivative_mode

    pde = make_pde(name)
    net, params = make_network(pde.dim, 8, 2, seed=1, lower=pde.lower, upper=pde.upper, input_normalization="box")
    z = jnp.asarray(random_interior(pde, 16), dtype=jnp.float32)
    u = net.bind(params)

    def terms():
        out = {"res": jax.vmap(lambda q: pde.residual(u, q))(z)}
        return out | {c.name: jax.vmap(lambda q, c=c: c.residual(u, q))(z) for c in pde.conditions()}

    forward = terms()
    with derivative_mode("reverse"):
        reverse = terms()
    for k in forward:
        np.testing.assert_allclose(forward[k], reverse[k], rtol=1e-4, atol=1e-5 * float(jnp.max(jnp.abs(forward[k]))))
