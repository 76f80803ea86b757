"""Lanczos and SLQ against dense Hessians (jax.hessian + eigvalsh) on tiny networks; the Gauss–Newton / residual
curvature split of Fig. 1b against dense Jacobians and per-residual Hessians."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

from pinnlab.curvature import gauss_newton_vp, hvp, residual_curvature_vp
from pinnlab.diagnostics.hessian import lanczos, ritz, slq_density, spectral_norm
from pinnlab.experiments.fig1b import hessian_parts, residual_norms
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


def residual_vector(pde, width=3, seed=0, n_res=12):
    """(r, w): the residual vector r(w) on ``n_res`` points of a one-hidden-layer net, in float64."""
    net, params = make_network(pde.dim, width, 1, seed)
    flat, unravel = ravel_pytree(jax.tree.map(lambda x: x.astype(jnp.float64), params))
    pts = jnp.asarray(fixed_points(pde, PointSpec(kind="qmc", n_res=n_res, n_initial=4, n_boundary=4), seed)["res"],
                      jnp.float64)

    def r(w):
        u = net.bind(unravel(w))
        return jax.vmap(lambda z: pde.residual(u, z))(pts)

    return r, flat


def dense(matvec, n):
    """The matrix of a matvec, column by column."""
    return np.asarray(jax.vmap(matvec, out_axes=1)(jnp.eye(n)))


# factor: loss_convention mean (1) or half_mean (½)
@pytest.mark.parametrize("name, factor", [("convection", 1.0), ("wave", 1.0), ("reaction", 0.5), ("burgers", 1.0)])
def test_gauss_newton_plus_curvature_is_the_dense_hessian(name, factor):
    """G = (2c/N) J_rᵀJ_r from the dense Jacobian, R = (2c/N) Σ r_i ∇²r_i from dense per-residual Hessians, and
    G + R = ∇²(c · mean r²) from jax.hessian: three independent dense truths for the matrix-free products."""
    with jax.enable_x64(True):
        r, w = residual_vector(make_pde(name))
        n, scale = w.size, 2 * factor / r(w).size
        parts = {k: dense(mv, n) for k, mv in hessian_parts(r, w, factor).items()}
        jac = np.asarray(jax.jacfwd(r)(w))
        per_point = np.asarray(jax.vmap(lambda i: jax.hessian(lambda x: r(x)[i])(w))(jnp.arange(r(w).size)))
        hessian = np.asarray(jax.hessian(lambda x: factor * jnp.mean(r(x) ** 2))(w))
        scale_h = np.abs(hessian).max()
        np.testing.assert_allclose(parts["gauss_newton"], scale * jac.T @ jac, atol=1e-12 * scale_h)
        np.testing.assert_allclose(parts["curvature"], scale * np.einsum("i,ijk->jk", np.asarray(r(w)), per_point),
                                   atol=1e-12 * scale_h)
        np.testing.assert_allclose(parts["gauss_newton"] + parts["curvature"], hessian, atol=1e-12 * scale_h)
        np.testing.assert_allclose(parts["hessian"], hessian, atol=1e-12 * scale_h)
        assert np.abs(parts["curvature"]).max() > 1e-6 * scale_h  # R is really there: the split is not trivial


def test_the_curvature_vanishes_where_every_residual_is_zero():
    """r̃(w) = r(w) − r(w₀) has the same Jacobian and per-residual Hessians as r, and r̃(w₀) = 0: at w₀ the
    Hessian of mean r̃² is its Gauss–Newton part alone; a step away, R comes back."""
    with jax.enable_x64(True):
        r, w0 = residual_vector(make_pde("burgers"))
        r0 = r(w0)
        shifted = lambda x: r(x) - r0  # noqa: E731
        n = w0.size
        at_zero = {k: dense(mv, n) for k, mv in hessian_parts(shifted, w0, 1.0).items()}
        assert np.abs(at_zero["curvature"]).max() == 0.0
        np.testing.assert_allclose(at_zero["hessian"], at_zero["gauss_newton"],
                                   atol=1e-12 * np.abs(at_zero["hessian"]).max())
        away = w0 + 0.1 * jax.random.normal(jax.random.key(2), w0.shape, jnp.float64)
        assert np.abs(dense(hessian_parts(shifted, away, 1.0)["curvature"], n)).max() > 1e-4


def test_lanczos_finds_both_ends_of_the_indefinite_curvature():
    """‖R‖ = max |λ(R)| from one Lanczos run matches the dense spectrum, whichever end is the larger."""
    with jax.enable_x64(True):
        r, w = residual_vector(make_pde("reaction"), width=4)
        mv = hessian_parts(r, w, 1.0)["curvature"]
        eigs = np.linalg.eigvalsh(dense(mv, w.size))
        assert eigs[0] < 0 < eigs[-1]  # indefinite
        for flip in (1.0, -1.0):  # the largest |λ| at either end
            norm, lo, hi = spectral_norm(lambda v, s=flip: s * mv(v), w.size, 30, jax.random.key(0), jnp.float64)
            assert float(norm) == pytest.approx(np.abs(eigs).max(), rel=1e-8)
            assert sorted((float(lo), float(hi))) == pytest.approx(sorted((flip * eigs[0], flip * eigs[-1])),
                                                                    rel=1e-8)


def test_gauss_newton_and_curvature_products_on_a_quadratic_residual():
    """r(w) = (wᵀA_i w / 2 + b_iᵀw)_i, exactly: J_r = (A_i w + b_i)ᵀ rows, ∇²r_i = A_i."""
    with jax.enable_x64(True):
        rng = np.random.default_rng(0)
        a = rng.normal(size=(5, 4, 4))
        a = jnp.asarray(a + a.transpose(0, 2, 1))
        b = jnp.asarray(rng.normal(size=(5, 4)))
        r = lambda w: 0.5 * jnp.einsum("j,ijk,k->i", w, a, w) + b @ w  # noqa: E731
        w, v, c = (jnp.asarray(rng.normal(size=s)) for s in (4, 4, 5))
        jac = jnp.einsum("ijk,k->ij", a, w) + b
        np.testing.assert_allclose(gauss_newton_vp(r, w, v), jac.T @ (jac @ v), rtol=1e-12)
        np.testing.assert_allclose(residual_curvature_vp(r, w, c, v), jnp.einsum("i,ijk,k->j", c, a, v), rtol=1e-12)


def test_fig1b_norms_match_the_dense_parts():
    """``residual_norms`` (the job's table) in float64, with as many Lanczos steps as parameters: ‖∇²L_r‖, ‖G‖,
    ‖R‖ and R's extreme eigenvalues equal those of dense matrices built independently on the same net and points."""
    pde, spec, width = make_pde("reaction"), PointSpec(kind="qmc", n_res=12, n_initial=4, n_boundary=4), 3
    table = residual_norms(pde, spec, [width], [0, 1], 40, "half_mean", x64=True)
    with jax.enable_x64(True):
        for row in table.itertuples():
            net, params = make_network(pde.dim, width, 1, row.seed)
            flat, unravel = ravel_pytree(jax.tree.map(lambda x: x.astype(jnp.float64), params))
            pts = jnp.asarray(fixed_points(pde, spec, row.seed)["res"], jnp.float64)

            def r(w, unravel=unravel, pts=pts, net=net):
                u = net.bind(unravel(w))
                return jax.vmap(lambda z: pde.residual(u, z))(pts)

            jac, res = np.asarray(jax.jacfwd(r)(flat)), np.asarray(r(flat))
            hess_r = np.asarray(jax.vmap(lambda i: jax.hessian(lambda x: r(x)[i])(flat))(jnp.arange(res.size)))
            g = jac.T @ jac / res.size  # half_mean: L_r = ½ mean r², so 2c/N = 1/N
            curv = np.einsum("i,ijk->jk", res, hess_r) / res.size
            ev = {k: np.linalg.eigvalsh(m) for k, m in (("h", g + curv), ("g", g), ("r", curv))}
            assert row.hessian_norm == pytest.approx(np.abs(ev["h"]).max(), rel=1e-8)
            assert row.gauss_newton_norm == pytest.approx(ev["g"].max(), rel=1e-8)
            assert row.curvature_norm == pytest.approx(np.abs(ev["r"]).max(), rel=1e-8)
            assert (row.curvature_ritz_min, row.curvature_ritz_max) == pytest.approx((ev["r"][0], ev["r"][-1]),
                                                                                     rel=1e-8)
            rms = np.sqrt(np.mean(res ** 2))
            assert row.residual_rms == pytest.approx(rms, rel=1e-12)
            # ‖(1/N) Σ (r_i / rms r) ∇²r_i‖: the residual Hessians with weights of unit mean square
            weighted = np.einsum("i,ijk->jk", res / rms, hess_r) / res.size
            assert row.curvature_per_residual == pytest.approx(np.abs(np.linalg.eigvalsh(weighted)).max(), rel=1e-8)



def test_fig1b_norms_resume_after_an_interruption(tmp_path, monkeypatch):
    """A job killed after some (width, seed) pairs continues after them: the same table as an uninterrupted run,
    the finished pairs not recomputed; other settings, or a torn last line, are not taken from the file."""
    import json

    import pandas as pd

    import pinnlab.experiments.fig1b as fig1b

    pde, spec = make_pde("convection"), PointSpec(kind="qmc", n_res=8, n_initial=4, n_boundary=4)
    args = (pde, spec, [2, 3], [0, 1], 6)
    whole = residual_norms(*args)
    progress = tmp_path / "convection.progress.jsonl"
    drawn = []  # the job draws each pair's points once, just before computing it

    def points(pde, spec, seed, stop_at=None):
        if len(drawn) == stop_at:
            raise KeyboardInterrupt  # killed while computing this pair
        drawn.append(seed)
        return fixed_points(pde, spec, seed)

    monkeypatch.setattr(fig1b, "fixed_points", lambda *a: points(*a, stop_at=3))
    with pytest.raises(KeyboardInterrupt):
        residual_norms(*args, progress=progress)
    lines = progress.read_text().splitlines()
    assert len(lines) == 1 + 3  # the settings, then the three finished pairs
    drawn.clear()
    monkeypatch.setattr(fig1b, "fixed_points", lambda *a: points(*a))
    pd.testing.assert_frame_equal(residual_norms(*args, progress=progress), whole)
    assert drawn == [1]  # only the unfinished pair (width 3, seed 1) was computed
    settings = json.loads(lines[0])
    assert len(fig1b._resumed(progress, settings)) == 4
    assert fig1b._resumed(progress, {**settings, "iterations": 7}) == []  # other settings: nothing resumed
    progress.write_text("\n".join(lines[:3]) + "\n" + lines[3][:10])  # a torn last line
    assert len(fig1b._resumed(progress, settings)) == 2
