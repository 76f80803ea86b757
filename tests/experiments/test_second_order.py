"""The exact-Newton study's classification and the NNCG time-to-loss summary."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

from pinnlab.experiments import newton as study
from pinnlab.experiments.newton import OUTCOMES, StudySettings, classify, outcome_table, run_study, trivial_residuals
from pinnlab.experiments.nncg import time_to_loss
from pinnlab.pdes import make_pde

SETTINGS = StudySettings(width=6, depth=1, n_res=12, n_boundary=2, iterations=40, seeds=(0, 1))
TRIVIAL = 48.7  # a trivial loss for the synthetic end points (Poisson-1D's is π⁴/2)


def end(final, grad=1e-12, eig_min=0.0, eig_max=2.0, distance=0.5, broke_down=False, initial=50.0):
    """The outcome of a synthetic run ending at ``final`` (arguments as ``classify`` takes them)."""
    return classify(initial, final, grad, eig_min, eig_max, TRIVIAL, distance, broke_down, SETTINGS)


def test_a_high_loss_psd_stationary_point_is_not_a_minimum():
    """Issue #13: stationary with a PSD Hessian, but far above the minimum threshold — not a minimum, whatever the
    sign noise of a flat Hessian; at the trivial function it is the trivial solution."""
    assert end(40.0) == "non-minimising stationary point"
    assert end(40.0, eig_min=-1e-12) == end(40.0, eig_min=1e-12) == "non-minimising stationary point"
    assert end(TRIVIAL, distance=1e-10) == end(TRIVIAL, distance=1e-10, eig_min=-0.2) == "trivial solution"
    assert end(TRIVIAL, distance=1e-10, broke_down=True) == "trivial solution"  # Newton stopped there


def test_classification_of_end_points():
    s = SETTINGS
    low = 0.5 * s.minimum_fraction * TRIVIAL
    assert end(low, grad=1e-2, eig_min=-1.0) == "minimum"  # low loss decides, stationary or not
    assert end(2 * s.minimum_fraction * TRIVIAL) == "non-minimising stationary point"
    assert end(3.0, eig_min=-0.5) == "saddle"
    assert end(3.0, grad=1e-1, eig_min=-0.5) == "not converged"
    assert end(3.0, grad=1e-1, broke_down=True) == "diverged"  # a non-finite Newton step away from both
    assert end(600.0) == "diverged"  # ×12 the initial loss
    assert end(np.nan, grad=np.nan, eig_min=np.nan, eig_max=np.nan) == "diverged"
    assert end(TRIVIAL, grad=1e-1, distance=0.5 * s.trivial_tol) == "trivial solution"


def test_trivial_losses_of_poisson_and_convection_from_their_points():
    """Poisson-1D (u = 0 on both ends): every affine u has u_xx = 0, so the best is u ≡ 0 and the loss is
    mean_j f(x_j)² with f = −π² sin πx. Convection (periodic, u = sin x at t = 0): a constant c solves the PDE, the
    best is c = mean sin x_j, loss var(sin x_j); the best affine u = c + b_x x + b_t t has b_t = −β b_x (no
    residual) and (c, b_x) the least-squares solution of the initial rows plus the periodic row 2π b_x = 0."""
    with jax.enable_x64(True):
        pde = make_pde("poisson1d", a=1)
        points = study._problem(pde, SETTINGS, 0)[2]
        x = np.asarray(points["res"][:, 0])
        for kind in ("constant", "affine"):
            r = trivial_residuals(pde, points, kind)
            assert float(r @ r) == pytest.approx(np.mean((np.pi**2 * np.sin(np.pi * x)) ** 2), rel=1e-12)

        pde = make_pde("convection", beta=5.0)
        points = study._problem(pde, SETTINGS, 1)[2]
        x = np.asarray(points["ic"][:, 0])
        r = trivial_residuals(pde, points, "constant")
        assert float(r @ r) == pytest.approx(np.var(np.sin(x)), rel=1e-10)
        n = len(x)
        rows = np.vstack([np.stack([np.ones(n), x], 1) / np.sqrt(n), [0.0, 2 * np.pi]])
        target = np.append(np.sin(x) / np.sqrt(n), 0.0)
        _, residual, *_ = np.linalg.lstsq(rows, target, rcond=None)
        r = trivial_residuals(pde, points, "affine")
        assert float(r @ r) == pytest.approx(float(residual[0]), rel=1e-8)
        assert float(r @ r) < np.var(np.sin(x))


def test_the_zero_network_is_a_psd_stationary_point_at_the_trivial_loss_and_not_a_minimum():
    """A network with every weight 0 is u ≡ 0: on Poisson-1D its gradient vanishes (each weight's derivative carries
    another zero weight or tanh''(0) = 0) and its Hessian is PSD, at the loss of the trivial function — the kind of
    point the gradient-and-curvature rule called a minimum. Newton from there meets a singular Hessian and stays."""
    pde = make_pde("poisson1d", a=1)
    with jax.enable_x64(True):
        residual_fn, w0, points = study._problem(pde, SETTINGS, 0)
        zero = jnp.zeros_like(w0)
        w, trace, gnorm, eig, singular_at = study._method_runner("newton", residual_fn, SETTINGS)(zero, points)
        trivial = trivial_residuals(pde, points, "affine")
        distance = float(jnp.linalg.norm(residual_fn(w, points) - trivial) / jnp.linalg.norm(trivial))
        loss = float(trivial @ trivial)
    trace, eig = np.asarray(trace), np.asarray(eig)
    assert np.isfinite(trace).all() and int(singular_at) == 0 and np.array_equal(np.asarray(w), np.asarray(zero))
    assert float(gnorm) < 1e-12 and eig[0] >= -1e-12 * abs(eig[-1])
    assert trace[-1] == pytest.approx(loss, rel=1e-12)
    assert classify(trace[0], trace[-1], float(gnorm), eig[0], eig[-1], loss, distance, True, SETTINGS) == \
        "trivial solution"
    # far from any trivial function (distance 1), the same PSD stationary point is still not a minimum
    assert classify(trace[0], trace[-1], float(gnorm), eig[0], eig[-1], loss, 1.0, False, SETTINGS) == \
        "non-minimising stationary point"


def test_study_runs_every_method_and_gauss_newton_lowers_the_loss():
    runs, traces = run_study(make_pde("poisson1d", a=1), SETTINGS)
    assert len(runs) == 8 and set(runs.outcome) <= set(OUTCOMES)
    assert len(traces) == 8 * (SETTINGS.iterations + 1)
    gn = runs[runs.method == "gauss_newton"]
    assert (gn.final_loss < 0.1 * gn.initial_loss).all()
    # a reported saddle really has a negative eigenvalue and a vanishing gradient
    for _, r in runs[runs.outcome == "saddle"].iterrows():
        assert r.eig_min < 0 and r.grad_norm <= SETTINGS.grad_tol
    # a minimum is far below the trivial loss, a trivial solution at it
    for _, r in runs[runs.outcome == "minimum"].iterrows():
        assert r.final_loss <= SETTINGS.minimum_fraction * r.trivial_loss_affine
    for _, r in runs[runs.outcome == "trivial solution"].iterrows():
        assert r.final_loss == pytest.approx(r.trivial_loss_affine, rel=2 * SETTINGS.trivial_tol)
    assert (runs.best_loss <= runs.final_loss).all()
    assert np.allclose(runs.best_loss, runs.groupby("seed").final_loss.transform("min"))
    table = outcome_table(runs, SETTINGS)
    assert table[list(OUTCOMES)].sum(axis=1).eq(2).all()
    assert np.allclose(table["minimum below"], SETTINGS.minimum_fraction * runs.trivial_loss_affine.median())


def test_time_to_loss_and_speedup():
    traces = pd.DataFrame({
        "setting": ["faithful"] * 3 + ["inexact"] * 4,
        "iteration": [0, 1, 2, 0, 1, 2, 3],
        "wall_time_s": [0, 10, 20, 0, 1, 2, 3],
        "loss": [1.0, 0.5, 0.2, 1.0, 0.6, 0.3, 0.15],
        "l2re": [0.9, 0.7, 0.5, 0.9, 0.8, 0.6, 0.4],
        "cg_iterations": [0, 1000, 1000, 0, 20, 30, 40],
    })
    table = time_to_loss(traces).set_index("setting")
    assert table.loc["faithful", "seconds_to_target"] == 20 and table.loc["inexact", "seconds_to_target"] == 3
    assert table.loc["inexact", "speedup_vs_faithful"] == 20 / 3
    assert table.loc["inexact", "mean_cg_iterations"] == 30
    # after the faithful run's budget: its 20 s (the inexact run's end) and its 2 iterations
    assert table.loc["inexact", "loss_at_faithful_time"] == 0.15
    assert table.loc["inexact", "l2re_at_faithful_time"] == 0.4
    assert table.loc["inexact", "loss_at_faithful_iterations"] == 0.3
    assert table.loc["faithful", "l2re_at_faithful_iterations"] == table.loc["faithful", "final_l2re"] == 0.5
