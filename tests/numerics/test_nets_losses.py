import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pinnlab.losses import loss_terms, term_residuals, weighted_total
from pinnlab.nets import count_parameters, make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, fixed_points


def test_glorot_normal_weights_zero_biases_and_seed():
    net, params = make_network(2, 400, 2, seed=0)
    pure = jax.tree.leaves(params)  # bias, kernel per layer (alphabetical)
    kernel = np.asarray(params["layers"][1]["kernel"][...])
    assert kernel.std() == pytest.approx(np.sqrt(2 / (400 + 400)), rel=0.05)
    assert all(np.all(np.asarray(params["layers"][i]["bias"][...]) == 0) for i in range(3))
    assert count_parameters(params) == 2 * 400 + 400 + 400 * 400 + 400 + 400 + 1
    _, again = make_network(2, 400, 2, seed=0)
    _, other = make_network(2, 400, 2, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(pure, jax.tree.leaves(again)))
    assert not np.array_equal(pure[1], jax.tree.leaves(other)[1])


def test_apply_is_the_mlp_formula():
    net, params = make_network(2, 8, 2, seed=3)
    z = jnp.array([0.3, -1.2])
    h = z
    for i in range(2):
        h = jnp.tanh(h @ params["layers"][i]["kernel"][...] + params["layers"][i]["bias"][...])
    expected = (h @ params["layers"][2]["kernel"][...] + params["layers"][2]["bias"][...])[0]
    assert float(net.apply(params, z)) == pytest.approx(float(expected), rel=1e-6)


def test_box_normalization_maps_domain_to_unit_box():
    net, params = make_network(2, 8, 1, seed=0, lower=(0.0, 0.0), upper=(10.0, 100.0), input_normalization="box")
    plain, _ = make_network(2, 8, 1, seed=0)
    assert float(net.apply(params, jnp.array([10.0, 0.0]))) == pytest.approx(
        float(plain.apply(params, jnp.array([1.0, -1.0]))), rel=1e-6)


def test_loss_terms_are_mean_squares_and_convention_halves_them():
    pde = make_pde("wave")
    net, params = make_network(2, 16, 2, seed=0)
    pts = fixed_points(pde, PointSpec(kind="grid", n_res=50, grid=(17, 9)), seed=0)
    res = term_residuals(pde, net, params, pts)
    mean = loss_terms(pde, net, params, pts, "mean")
    half = loss_terms(pde, net, params, pts, "half_mean")
    for k in pde.term_names():
        assert float(mean[k]) == pytest.approx(float(jnp.mean(res[k] ** 2)), rel=1e-6)
        assert float(half[k]) == pytest.approx(0.5 * float(mean[k]), rel=1e-6)
    # the ic_t residual is u_t at t = 0: check one point against a finite difference of the network
    z = jnp.asarray(pts["ic_t"][3])
    h = 1e-2
    fd = (net.apply(params, z + jnp.array([0, h])) - net.apply(params, z - jnp.array([0, h]))) / (2 * h)
    assert float(res["ic_t"][3]) == pytest.approx(float(fd), rel=1e-2, abs=1e-4)
    weights = {k: 2.0 for k in mean}
    assert float(weighted_total(mean, weights)) == pytest.approx(2 * sum(float(v) for v in mean.values()), rel=1e-6)
