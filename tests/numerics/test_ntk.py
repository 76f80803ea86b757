"""NTK blocks, traces, drift and PINN-NTK weights against explicit Jacobians and hand-built cases."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from jax.flatten_util import ravel_pytree

from pinnlab.diagnostics import ntk
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, uniform_points
from pinnlab.training.weighting import make_weight_update


def explicit_kernel(fn, params, points):
    """J Jᵀ from the full Jacobian of the vector of residuals (jacrev of a stacked function)."""
    flat, unravel = ravel_pytree(params)
    vector = lambda w: jnp.stack([fn(unravel(w), z) for z in points])  # noqa: E731
    jac = jax.jacrev(vector)(flat)
    return jac @ jac.T


@pytest.mark.parametrize("name", ["wave", "burgers", "convection"])
def test_traces_and_blocks_match_explicit_jacobians(name):
    pde = make_pde(name)
    with jax.enable_x64(True):
        net, params = make_network(2, 6, 2, seed=1)
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        pts = uniform_points(pde, PointSpec(kind="uniform", n_res=7, n_initial=5, n_boundary=5), jax.random.key(0))
        for term in pde.term_names():
            fn = ntk.term_function(pde, net, term)
            k = explicit_kernel(fn, params, pts[term])
            np.testing.assert_allclose(ntk.kernel([(fn, pts[term])], params), k, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(ntk.trace(fn, params, pts[term], batch=3), jnp.trace(k), rtol=1e-10)
        blocks = [(ntk.term_function(pde, net, t), pts[t]) for t in pde.term_names()]
        full = np.asarray(ntk.kernel(blocks, params))
        np.testing.assert_allclose(full, full.T, atol=1e-12)
        assert np.linalg.eigvalsh(full).min() > -1e-9 * np.abs(full).max()


def test_kernel_of_a_model_linear_in_its_parameters_does_not_change():
    pde = make_pde("poisson1d")
    freqs = jnp.arange(1.0, 9.0)

    def fn(params, z):  # u = Σ w_k sin(k π x): the residual u_xx − f is affine in w
        u = lambda y: params["w"] @ jnp.sin(freqs * jnp.pi * y[0])  # noqa: E731
        return pde.residual(u, z)

    with jax.enable_x64(True):
        params = {"w": jax.random.normal(jax.random.key(0), (8,), jnp.float64)}
        pts = jnp.linspace(0.05, 0.95, 20)[:, None]
        k0 = ntk.kernel([(fn, pts)], params)
        loss = lambda p: jnp.mean(jax.vmap(lambda z: fn(p, z))(pts) ** 2)  # noqa: E731
        for _ in range(20):
            params = jax.tree.map(lambda p, g: p - 1e-6 * g, params, jax.grad(loss)(params))
        change = ntk.relative_change(k0, ntk.kernel([(fn, pts)], params))
        assert float(change["spectral"]) < 1e-13 and float(change["frobenius"]) < 1e-13
        # while for a network the same training does move the kernel
        net, p_net = make_network(1, 8, 1, seed=0)
        p_net = jax.tree.map(lambda x: x.astype(jnp.float64), p_net)
        fn_net = ntk.term_function(pde, net, "res")
        k0 = ntk.kernel([(fn_net, pts)], p_net)
        loss_net = lambda p: jnp.mean(jax.vmap(lambda z: fn_net(p, z))(pts) ** 2)  # noqa: E731
        for _ in range(20):
            p_net = jax.tree.map(lambda p, g: p - 1e-4 * g, p_net, jax.grad(loss_net)(p_net))
        assert float(ntk.relative_change(k0, ntk.kernel([(fn_net, pts)], p_net))["frobenius"]) > 1e-6


def test_relative_change_norms_on_a_hand_built_case():
    k0 = jnp.diag(jnp.array([4.0, 3.0]))
    k = jnp.diag(jnp.array([4.0, 0.0]))
    change = ntk.relative_change(k0, k)
    assert float(change["spectral"]) == pytest.approx(3 / 4)
    assert float(change["frobenius"]) == pytest.approx(3 / 5)


def test_algorithm_1_weights_equal_the_formula():
    w = ntk.ntk_weights({"res": 2.0, "ic": 6.0, "bc": 12.0})
    assert w == {"res": 10.0, "ic": 20 / 6, "bc": 20 / 12}
    # and the in-loop update computes exactly that from fresh points of the given step
    pde = make_pde("reaction")
    net, params = make_network(2, 5, 1, seed=0)
    update = make_weight_update({"scheme": "ntk", "every": 10, "points": 12}, pde, net)
    run_key = jax.random.fold_in(jax.random.key(3), 2)
    got = update(params, 20, None, None, run_key)  # the NTK scheme uses neither the old weights nor the batch
    key = jax.random.fold_in(run_key, 20)
    pts = uniform_points(pde, PointSpec(kind="uniform", n_res=12, n_initial=12, n_boundary=12, resample=True), key)
    traces = {t: float(jnp.trace(explicit_kernel(ntk.term_function(pde, net, t), params, pts[t])))
              for t in pde.term_names()}
    total = sum(traces.values())
    for t in pde.term_names():
        assert float(got[t]) == pytest.approx(total / traces[t], rel=1e-4)


@pytest.mark.parametrize("name", ["poisson1d", "wave"])
def test_standardised_input_traces_match_explicit_jacobians_and_the_chain_rule(name):
    """W22's setup (inputs z = (x − μ)·s, LeCun init): traces against explicit Jacobians, and the kernels against
    those of the same parameters without the scaling at z — a value condition's kernel is unchanged, the Poisson
    residual u_xx = s² u_zz scales K_rr by s⁴. μ and 1/s are the mean and std of the uniform distribution."""
    pde = make_pde(name)
    with jax.enable_x64(True):
        scaled, params = make_network(pde.dim, 6, 1, seed=2, lower=pde.lower, upper=pde.upper,
                                      input_normalization="standardize", init="lecun")
        plain, plain_params = make_network(pde.dim, 6, 1, seed=2, init="lecun")
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        assert all(jnp.array_equal(a, b) for a, b in zip(jax.tree.leaves(params), jax.tree.leaves(plain_params)))
        model = nnx.merge(scaled.graphdef, params)
        uniform = np.random.default_rng(0).uniform(pde.lower, pde.upper, (200_000, pde.dim))
        np.testing.assert_allclose(model.input_shift, uniform.mean(0), atol=5e-3)
        np.testing.assert_allclose(1 / np.asarray(model.input_scale), uniform.std(0), rtol=5e-3)

        pts = uniform_points(pde, PointSpec(kind="uniform", n_res=7, n_initial=5, n_boundary=5), jax.random.key(1))
        shift, scale = np.asarray(model.input_shift), np.asarray(model.input_scale)
        for term in pde.term_names():
            fn = ntk.term_function(pde, scaled, term)
            k = explicit_kernel(fn, params, pts[term])
            np.testing.assert_allclose(ntk.trace(fn, params, pts[term], batch=3), jnp.trace(k), rtol=1e-10)
            if name == "poisson1d":
                z = (pts[term] - shift) * scale
                k_plain = explicit_kernel(ntk.term_function(pde, plain, term), params, z)
                np.testing.assert_allclose(k, k_plain * (scale[0] ** 4 if term == "res" else 1.0), rtol=1e-9)
