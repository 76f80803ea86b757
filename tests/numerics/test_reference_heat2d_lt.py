"""The Heat2d-LT reference solver (sine-spectral + ETDRK4): convergence, exact limits, conditions, info."""

import dataclasses
import json

import numpy as np
import pytest

from pinnlab.pdes.heat2d_lt import Heat2dLT
from pinnlab.reference import heat2d_lt as ref

PDE = Heat2dLT()
X = np.linspace(0.0, 1.0, 33)
# Short horizon through the first growth phase, where the fronts are sharpest (t ≈ 1.5–2.5).
T_SHORT = np.linspace(0.0, 3.0, 7)


def _max_diff(a: ref.ModalSolution, b: ref.ModalSolution) -> float:
    return float(np.abs(ref.synthesize(a, X, X) - ref.synthesize(b, X, X)).max())


def test_spatial_convergence_is_geometric():
    # Same dt everywhere, so the differences are the spatial truncation errors.
    fine = ref.solve_modes(PDE, T_SHORT, modes=223, dt=0.02)
    errors = [_max_diff(ref.solve_modes(PDE, T_SHORT, modes=n, dt=0.02), fine) for n in (63, 95, 127, 159)]
    # Geometric convergence: every 32 more modes cut the error by a constant factor (measured 6–7.5x);
    # an algebraic rate p would give only (n+32)/n)^p, e.g. 1.9x for p = 4 from 127 to 159.
    assert all(e1 > 4 * e2 for e1, e2 in zip(errors, errors[1:])), errors
    assert errors[-1] < 1e-3, errors


def test_etdrk4_is_fourth_order_on_a_scalar_problem_with_exact_solution():
    # a' = −λa + cos(t)·a  ⇒  a = a0 exp(−λt + sin t); stiff λ and a time-dependent N test the stages.
    lam = np.array([1e-4, 1.0, 50.0])
    t = np.array([0.0, 1.0, 2.0])
    exact = np.exp(-np.outer(t, lam) + np.sin(t)[:, None])
    errors = [np.abs(ref.etdrk4(lam, lambda a, s: np.cos(s) * a, np.ones(3), t, dt)[0] - exact).max()
              for dt in (0.2, 0.1, 0.05)]
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(orders > 3.7), orders


def test_temporal_convergence_shows_fourth_order_and_default_dt_is_within_the_target():
    # Same modes everywhere, so the differences are time errors; measured orders 3.6 and 3.9.
    runs = {dt: ref.solve_modes(PDE, T_SHORT, modes=127, dt=dt) for dt in (0.02, 0.01, 0.005, 0.00125)}
    errors = [_max_diff(runs[dt], runs[0.00125]) for dt in (0.02, 0.01, 0.005)]
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(orders > 3.3), (errors, orders)
    # Halving the default step changes the default solution by far less than the stated target.
    default = ref.solve_modes(PDE, T_SHORT)
    halved = ref.solve_modes(PDE, T_SHORT, dt=ref.DEFAULT_SETTINGS["dt"] / 2)
    assert _max_diff(default, halved) < 0.1 * ref.TARGET_RELATIVE_ERROR * np.sqrt(np.pi)


def test_without_source_the_solution_is_the_exact_decaying_mode():
    pde = dataclasses.replace(PDE, amplitude=0.0)
    t = np.linspace(0.0, 100.0, 6)
    u, _ = ref.solve(pde, (X, X, t), modes=31, dt=0.5, symmetry=False, error_estimate=False)
    decay = np.exp(-pde.diffusivity * np.pi**2 * (16 + 9) * t)
    exact = np.sin(4 * np.pi * X)[:, None, None] * np.sin(3 * np.pi * X)[None, :, None] * decay
    assert np.abs(u - exact).max() < 1e-13


def test_symmetry_reduction_changes_nothing():
    assert ref.symmetry_cells(PDE) == (4, 1)
    full = ref.solve_modes(PDE, T_SHORT, modes=63, dt=0.05, symmetry=False)
    cell = ref.solve_modes(PDE, T_SHORT, modes=63, dt=0.05, symmetry=True)
    # The modes the reduction drops stay zero in the full solve, and the kept ones agree.
    assert np.abs(full.a[:, full.mx % 4 != 0, :]).max() < 1e-13
    assert _max_diff(full, cell) < 1e-12


def test_boundary_and_initial_conditions_hold():
    t = np.linspace(0.0, 4.0, 5)
    u, _ = ref.solve(PDE, (X, X, t), modes=95, dt=0.05, error_estimate=False)
    assert u.shape == (33, 33, 5) and u.dtype == np.float64
    assert max(np.abs(u[[0, -1]]).max(), np.abs(u[:, [0, -1]]).max()) < 1e-12
    initial = PDE.initial(X[:, None], X[None, :], xp=np)
    assert np.abs(u[..., 0] - initial).max() < 1e-13
    assert np.abs(u).max() > 1.7  # it did grow to the plateau √π


def test_default_info_over_one_forcing_period_meets_the_target():
    pde = dataclasses.replace(PDE, t_end=8.0)  # one period of 1 + 2 sin(πt/4): growth and collapse
    x, y, t = pde.eval_axes()
    u, info = ref.solve(pde, (x, y, t))
    json.dumps(info)  # serialisable
    assert info["settings"] == ref.DEFAULT_SETTINGS
    assert info["max_abs_u"] == pytest.approx(np.sqrt(np.pi), rel=1e-3)
    assert 0 < info["estimated_max_abs_error"] < ref.TARGET_RELATIVE_ERROR * info["max_abs_u"]
    assert info["error_estimate_method"]


def test_unknown_setting_is_rejected_with_the_valid_names():
    with pytest.raises(ValueError, match="modes"):
        ref.solve(PDE, (X, X, T_SHORT), mode=10)
