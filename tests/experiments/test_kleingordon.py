"""Klein–Gordon M1–M4: learning-rate annealing against its formula, the modified MLP against its formula."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pinnlab.config import load_config
from pinnlab.errors import PinnlabError
from pinnlab.experiments.kleingordon import GROUPS
from pinnlab.experiments.kleingordon import resolve as resolve_kleingordon_run
from pinnlab.losses import loss_terms
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, uniform_points
from pinnlab.training.weighting import annealing_groups, annealing_statistics, make_weight_update

KG = make_pde("klein_gordon")


def kernels(params):
    return [np.asarray(params["layers"][i]["kernel"][...]) for i in sorted(params["layers"].keys())]


def test_annealing_statistics_on_hand_built_gradients():
    _, params = make_network(2, 2, 1, seed=0)  # kernels 2×2 and 2×1, biases 2 and 1
    def tree(k0, k1, bias=0.0):
        return jax.tree.map(lambda x: x, {"layers": {0: {"kernel": jnp.array(k0), "bias": jnp.full(2, bias)},
                                                     1: {"kernel": jnp.array(k1), "bias": jnp.full(1, bias)}}})
    res = tree([[1.0, -4.0], [2.0, 0.0]], [[3.0], [-1.0]], bias=-100.0)  # biases are not statistics
    bc = tree([[1.0, 1.0], [-1.0, 1.0]], [[4.0], [0.0]], bias=50.0)
    top, means = annealing_statistics(res, {"bc": bc})
    assert float(top) == 4.0  # max |∇L_r| over both weight matrices
    assert float(means["bc"]) == pytest.approx((1.0 + 2.0) / 2)  # mean of per-matrix means: (4/4 + 4/2) / 2


def test_annealing_update_equals_formula_with_ema():
    net, params = make_network(2, 6, 2, seed=1, lower=KG.lower, upper=KG.upper, input_normalization="standardize")
    batch = uniform_points(KG, PointSpec("uniform", 32, 16, 16, resample=True), jax.random.key(4))
    weights = {"res": 1.0, "ic": 2.0, "ic_t": 2.0, "bc_x0": 5.0, "bc_x1": 5.0}
    update = make_weight_update({"scheme": "annealing", "every": 10, "ema": 0.9, "groups": GROUPS}, KG, net)
    got = update(params, 0, {k: jnp.float32(v) for k, v in weights.items()}, batch)
    # independently: one jax.grad per term, statistics in numpy over the kernels only
    grads = {t: kernels(jax.grad(lambda p, t=t: loss_terms(KG, net, p, batch)[t])(params)) for t in weights}
    top = max(np.abs(g).max() for g in grads["res"])
    for members in GROUPS.values():
        lam = weights[members[0]]
        per_matrix = [np.abs(lam * sum(grads[t][i] for t in members)).mean() for i in range(3)]
        expected = 0.9 * lam + 0.1 * top / np.mean(per_matrix)
        for t in members:
            assert float(got[t]) == pytest.approx(expected, rel=1e-4)
    assert float(got["res"]) == 1.0


def test_annealing_with_frozen_gradients_settles_at_the_square_root():
    """λ inside the gradient (as the source code): λ̂ = G / (λ m), whose EMA fixed point is √(G/m)."""
    net, params = make_network(2, 6, 2, seed=2)
    batch = uniform_points(KG, PointSpec("uniform", 32, 16, 16, resample=True), jax.random.key(5))
    update = jax.jit(make_weight_update({"scheme": "annealing", "ema": 0.5, "groups": GROUPS}, KG, net))
    weights = {t: jnp.float32(1.0) for t in KG.term_names()}
    top, means = annealing_statistics(
        jax.grad(lambda p: loss_terms(KG, net, p, batch)["res"])(params),
        {g: jax.grad(lambda p, m=m: sum(loss_terms(KG, net, p, batch)[t] for t in m))(params)
         for g, m in GROUPS.items()})
    for _ in range(60):
        weights = update(params, 0, weights, batch)
    for g, members in GROUPS.items():
        assert float(weights[members[0]]) == pytest.approx(float(jnp.sqrt(top / means[g])), rel=1e-3)


def test_annealing_groups_must_cover_the_conditions():
    assert annealing_groups(KG, None) == {t: (t,) for t in ("ic", "ic_t", "bc_x0", "bc_x1")}
    with pytest.raises(PinnlabError, match="exactly once"):
        annealing_groups(KG, {"ics": ("ic",), "bcs": ("bc_x0", "bc_x1")})


def modified_mlp_formula(params, z):
    """numpy forward pass of the modified MLP from its parameters (Wang, Teng, Perdikaris, Sec. 2.6)."""
    def lin(block, h):
        return h @ np.asarray(block["kernel"][...]) + np.asarray(block["bias"][...])
    u, v = (np.tanh(lin(params["encoders"][i], z)) for i in (0, 1))
    h, layers = z, [params["layers"][i] for i in sorted(params["layers"].keys())]
    for block in layers[:-1]:
        gate = np.tanh(lin(block, h))
        h = gate * u + (1 - gate) * v
    return lin(layers[-1], h)[..., 0]


def test_modified_mlp_is_its_formula_and_gradients_reach_every_parameter():
    net, params = make_network(2, 7, 3, seed=3, architecture="modified_mlp")
    z = np.random.default_rng(0).uniform(size=(11, 2)).astype(np.float32)
    out = jax.vmap(lambda p: net.apply(params, p))(jnp.asarray(z))
    assert out.shape == (11,)
    np.testing.assert_allclose(out, modified_mlp_formula(params, z), rtol=1e-5, atol=1e-6)
    grads = jax.grad(lambda p: jnp.sum(jax.vmap(lambda q: net.apply(p, q))(jnp.asarray(z)) ** 2))(params)
    for path, g in jax.tree_util.tree_leaves_with_path(grads):
        assert np.all(np.isfinite(g)) and np.abs(g).max() > 0, path
    # the encoders' biases are drawn (the source's xavier_init), the main layers' start at zero
    assert np.abs(np.asarray(params["encoders"][0]["bias"][...])).max() > 0
    assert np.all(np.asarray(params["layers"][0]["bias"][...]) == 0)


def test_modified_mlp_with_equal_encoders_reduces_to_the_encoder():
    """H_{k+1} = Z ⊙ U + (1 − Z) ⊙ V = U when U = V: the output is U W + b whatever the gates — unlike M1,
    whose output goes through every hidden layer."""
    net, params = make_network(2, 5, 2, seed=4, architecture="modified_mlp")
    params["encoders"][1] = jax.tree.map(lambda x: x, params["encoders"][0])
    z = jnp.asarray(np.random.default_rng(1).uniform(size=(6, 2)), dtype=jnp.float32)
    u = jnp.tanh(z @ params["encoders"][0]["kernel"][...] + params["encoders"][0]["bias"][...])
    expected = (u @ params["layers"][2]["kernel"][...] + params["layers"][2]["bias"][...])[:, 0]
    np.testing.assert_allclose(jax.vmap(lambda q: net.apply(params, q))(z), expected, rtol=1e-5, atol=1e-6)
    mlp, mlp_params = make_network(2, 5, 2, seed=4)
    assert not np.allclose(jax.vmap(lambda q: mlp.apply(mlp_params, q))(z), expected, atol=1e-3)


def test_standardized_inputs_have_zero_mean_unit_variance():
    net, params = make_network(2, 4, 1, seed=0, lower=(0.0, 0.0), upper=(1.0, 1.0),
                               input_normalization="standardize")
    module = __import__("flax").nnx.merge(net.graphdef, params)
    assert module.input_shift == (0.5, 0.5) and module.input_scale == pytest.approx((12 ** 0.5,) * 2)


def test_models_resolve_to_the_right_architecture_and_weighting():
    cfg = load_config("config/config.yaml")
    runs = {m: resolve_kleingordon_run(cfg, "paper", m, 1234) for m in ("M1", "M2", "M3", "M4")}
    assert runs["M1"].iterations == 40001 and runs["M1"].network["width"] == 50 and runs["M1"].network["depth"] == 5
    assert runs["M1"].points.resample and runs["M1"].points.n_res == 128
    assert [r.network["architecture"] for r in runs.values()] == ["mlp", "mlp", "modified_mlp", "modified_mlp"]
    assert [r.phases[0].weighting is not None for r in runs.values()] == [False, True, False, True]
    assert runs["M2"].phases[0].weighting["every"] == 10 and runs["M2"].phases[0].weighting["ema"] == 0.9
    with pytest.raises(PinnlabError, match="valid"):
        resolve_kleingordon_run(cfg, "quick", "M5", 0)


def test_annealed_run_records_shared_group_weights(tmp_path):
    from pinnlab.evaluate import load_reference
    from pinnlab.reference.build import build_reference
    from pinnlab.training.loop import train

    cfg = load_config("config/config.yaml")
    build_reference(KG, tmp_path / "kg.npz")
    run = resolve_kleingordon_run(cfg, "smoke", "M2", 0)
    outcome = train(run, load_reference(tmp_path / "kg.npz"), tmp_path / "run", progress=False)
    rows = outcome.metrics[1:]
    assert all(r["weight_ic"] == r["weight_ic_t"] and r["weight_bc_x0"] == r["weight_bc_x1"] for r in rows)
    assert all(r["weight_res"] == 1.0 for r in rows)
    assert rows[-1]["weight_bc_x0"] > 10  # the boundary gradients are far smaller than the residual's
