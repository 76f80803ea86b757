"""Fig. 1a's NTK drift probe against independent truths: hand-built kernels, dense eigensolvers, and kernels from the
full Jacobian of the stacked residuals (``jax.jacrev``) on the points the probe documents."""

from types import SimpleNamespace

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

from pinnlab.diagnostics import ntk
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import run_key


def dense_drift(k0, k, n_res):
    """ΔK of each block and norm with numpy's dense eigensolver in float64."""
    k0, k = np.asarray(k0, np.float64), np.asarray(k, np.float64)
    blocks = {"full": np.s_[:, :], "rr": np.s_[:n_res, :n_res], "uu": np.s_[n_res:, n_res:]}
    out = {}
    for name, idx in blocks.items():
        d, ref = k0[idx] - k[idx], k0[idx]
        out[name, "spectral"] = np.abs(np.linalg.eigvalsh(d)).max() / np.abs(np.linalg.eigvalsh(ref)).max()
        out[name, "frobenius"] = np.linalg.norm(d) / np.linalg.norm(ref)
    return out


def test_drift_of_each_block_on_a_hand_built_case():
    """K(0) = diag(4, 3, 2, 1), two residual rows; K(t) zeroes the 2nd and 4th entries and adds an off-diagonal
    coupling between the blocks, which only the full kernel sees."""
    k0 = jnp.diag(jnp.array([4.0, 3.0, 2.0, 1.0]))
    k = jnp.diag(jnp.array([4.0, 0.0, 2.0, 0.0])).at[0, 2].set(0.5).at[2, 0].set(0.5)
    got = {key: float(v) for key, v in ntk.drift_measures(k0, k, 2).items()}
    full_diff = np.linalg.eigvalsh(np.array([[0, 0, -0.5, 0], [0, 3, 0, 0], [-0.5, 0, 0, 0], [0, 0, 0, 1.0]]))
    assert got["full", "spectral"] == pytest.approx(np.abs(full_diff).max() / 4)
    assert got["full", "frobenius"] == pytest.approx(np.sqrt(9 + 1 + 0.5) / np.sqrt(30))
    assert got["rr", "spectral"] == pytest.approx(3 / 4) and got["rr", "frobenius"] == pytest.approx(3 / 5)
    assert got["uu", "spectral"] == pytest.approx(1 / 2) and got["uu", "frobenius"] == pytest.approx(1 / 5 ** 0.5)


@pytest.mark.parametrize("spectrum", ["decaying", "flat"])
def test_lanczos_norms_match_a_dense_eigensolver(spectrum):
    """Kernel-like PSD matrices J Jᵀ and their differences, 400 × 400 as the paper's kernels, with a decaying and a
    flat (noise-like, the hard case for Lanczos) spectrum."""
    rng = np.random.default_rng(0)
    scale = np.exp(-np.arange(600) / 50) if spectrum == "decaying" else np.ones(600)
    j0 = rng.standard_normal((400, 600)) * scale
    j1 = j0 + 0.05 * rng.standard_normal(j0.shape) * scale
    k0, k = (j0 @ j0.T).astype(np.float32), (j1 @ j1.T).astype(np.float32)
    got = ntk.drift_measures(jnp.asarray(k0), jnp.asarray(k), 300)
    for key, value in dense_drift(k0, k, 300).items():
        assert float(got[key]) == pytest.approx(value, rel=1e-4), key


def explicit_full_kernel(pde, net, params, points):
    """J Jᵀ over the residual points then every condition's, J from ``jacrev`` of the stacked residuals."""
    flat, unravel = ravel_pytree(params)
    rows = [(ntk.term_function(pde, net, t), z) for t in pde.term_names() for z in points[t]]
    jac = jax.jacrev(lambda w: jnp.stack([fn(unravel(w), z) for fn, z in rows]))(flat)
    return jac @ jac.T


@pytest.mark.parametrize("name", ["burgers", "convection"])
def test_probe_measures_the_kernels_of_its_documented_points(name):
    """ΔK of the probe equals the dense computation on explicit kernels: on the fixed points (drawn from the first
    half of the seed's ``ntk_probe`` key) and on the step's fresh points (the second half folded with the step),
    K(θ_0) and K(θ_t) both on them. Zero at θ_0, the same numbers when asked again (a resumed run)."""
    pde, seed, n_res, n_cond, step = make_pde(name), 3, 6, 4, 700
    net, params0 = make_network(2, 5, 1, seed=seed, lower=pde.lower, upper=pde.upper,
                                input_normalization="standardize")
    trainer = SimpleNamespace(run=SimpleNamespace(pde=pde, seed=seed), net=net, params0=params0)
    probe = ntk.drift_probe(n_res, n_cond)(trainer)
    assert all(float(v) == 0 for v in probe(params0, 0).values())

    params = jax.tree.map(lambda p: p + 0.3 * jax.random.normal(jax.random.key(1), p.shape), params0)
    got = {k: float(v) for k, v in probe(params, step).items()}
    assert got == {k: float(v) for k, v in probe(params, step).items()}
    fixed_key, fresh_root = jax.random.split(run_key(seed, "ntk_probe"))
    draws = {"fixed": fixed_key, "resampled": jax.random.fold_in(fresh_root, step)}
    for where, key in draws.items():
        points = ntk.condition_and_residual_points(pde, n_res, n_cond, key)
        truth = dense_drift(explicit_full_kernel(pde, net, params0, points),
                            explicit_full_kernel(pde, net, params, points), n_res)
        for (block, norm), value in truth.items():
            assert got[ntk.drift_column(block, where, norm)] == pytest.approx(value, rel=2e-3), (where, block, norm)
    other = {k: float(v) for k, v in probe(params, step + 100).items()}
    assert other[ntk.drift_column("full", "fixed", "spectral")] == got[ntk.drift_column("full", "fixed", "spectral")]
    assert other[ntk.drift_column("full", "resampled", "spectral")] != got[ntk.drift_column("full", "resampled",
                                                                                              "spectral")]
