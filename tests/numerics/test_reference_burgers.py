"""Tests of the Cole–Hopf / Gauss–Hermite reference solver for viscous Burgers (ν = 0.01/π)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pinnlab.pdes.burgers import Burgers
from pinnlab.reference import burgers as ref

PDE = Burgers()
NU = PDE.nu
X_AXIS, T_AXIS = PDE.eval_axes()


@pytest.fixture(scope="module")
def project_solution():
    return ref.solve(PDE, (X_AXIS, T_AXIS))


def _trapezoid_cole_hopf(x, t, n=801, z_max=14.0):
    """Independent evaluation of the same integrals: trapezoidal rule in z = η/sqrt(4νt) on
    [−z_max, z_max], Gaussian kept in the exponent. For a smooth, Gaussian-decaying integrand the
    rule converges geometrically (401 points already agree to rounding); the cut-off drops terms
    below e^{−z_max² + 1/(πν)} = e^{−96}."""
    z = np.linspace(-z_max, z_max, n)
    y = x[..., None] - np.sqrt(4 * NU * t[..., None]) * z
    log_g = -np.cos(np.pi * y) / (2 * np.pi * NU) - z**2
    g = np.exp(log_g - log_g.max(axis=-1, keepdims=True))
    return -(np.sin(np.pi * y) * g).sum(-1) / g.sum(-1)


# --- convergence and stated accuracy -------------------------------------------------------------

def test_error_falls_geometrically_with_quadrature_order():
    X, T = np.meshgrid(X_AXIS, T_AXIS, indexing="ij")
    high = ref.evaluate(X, T, nu=NU, quadrature_order=240)
    orders = [30, 40, 50, 60, 70, 80]
    errors = [np.abs(ref.evaluate(X, T, nu=NU, quadrature_order=n) - high).max() for n in orders]
    # Measured: 1.6e-2, 3.1e-5, 2.0e-7, 1.2e-9, 9.5e-12, 7.4e-14, i.e. about x100 per 10 nodes.
    ratios = [a / b for a, b in zip(errors, errors[1:])]
    assert all(r > 30 for r in ratios), (errors, ratios)
    assert errors[-1] < 1e-12


def test_default_order_meets_stated_error(project_solution):
    u, info = project_solution
    assert info["settings"] == ref.DEFAULT_SETTINGS
    assert 0 <= info["estimated_max_abs_error"] < 1e-12
    # An independent quadrature of the same representation agrees to rounding (t > 0 only: the
    # trapezoid form divides by the kernel width).
    X, T = np.meshgrid(X_AXIS, T_AXIS[1:], indexing="ij")
    independent = _trapezoid_cole_hopf(X, T)
    assert np.abs(u[:, 1:] - independent).max() < 1e-12


def test_output_contract(project_solution):
    u, info = project_solution
    assert u.shape == (len(X_AXIS), len(T_AXIS)) and u.dtype == np.float64
    assert np.all(np.isfinite(u))
    json.dumps(info)
    assert set(info) == {"method", "settings", "estimated_max_abs_error", "error_estimate_method"}
    # t = 0 is the initial condition exactly.
    np.testing.assert_array_equal(u[:, 0], PDE.initial(X_AXIS, xp=np))


# --- known features of the solution ---------------------------------------------------------------

def test_bounds_symmetry_and_boundary_values(project_solution):
    u, _ = project_solution
    assert np.abs(u).max() <= 1.0 + 1e-14  # maximum principle
    assert np.abs(u[100]).max() < 1e-14  # x = 0
    assert np.abs(u + u[::-1]).max() < 1e-12  # odd in x
    assert np.abs(u[[0, -1]]).max() < 1e-14  # x = ±1


def _slope_at_origin(t, h=1e-5):
    """|u_x(0, t)| by centred differences at steps h and 2h, Richardson-extrapolated (O(h⁴))."""
    u, _ = ref.solve(PDE, (np.array([-2 * h, -h, 0.0, h, 2 * h]), np.asarray(t)))
    s1 = (u[3] - u[1]) / (2 * h)
    s2 = (u[4] - u[0]) / (4 * h)
    return -(4 * s1 - s2) / 3


def test_shock_steepens_to_the_published_peak_slope():
    growing = _slope_at_origin(np.linspace(0.0, 0.5, 51))
    assert growing[0] == pytest.approx(np.pi, rel=1e-6)  # u_x(0, 0) = −π
    assert np.all(np.diff(growing) > 0)
    t = np.linspace(0.50, 0.52, 201)
    slope = _slope_at_origin(t)
    i = int(np.argmax(slope))
    assert 0 < i < len(t) - 1  # an interior maximum
    # Basdevant et al. (1986): max |u_x| = 152.00516 at t = 1.6037/π for ν = 0.01/π.
    assert slope[i] == pytest.approx(152.00516, rel=1e-3)
    assert t[i] == pytest.approx(1.6037 / np.pi, abs=2e-3)
    assert _slope_at_origin(np.array([1.0]))[0] < slope[i]  # diffusion wins after the peak


# --- the PDE itself --------------------------------------------------------------------------------

def _fd_residuals(x0, t0, h, nu):
    """Residuals u_t + u u_x − nu u_xx by centred differences with steps h and 2h at (x0, t0),
    from the reference on a 5×5 patch."""
    offsets = h * np.arange(-2, 3)
    u, _ = ref.solve(PDE, (x0 + offsets, t0 + offsets))
    out = []
    for s in (1, 2):  # step s·h
        d = s * h
        ut = (u[2, 2 + s] - u[2, 2 - s]) / (2 * d)
        ux = (u[2 + s, 2] - u[2 - s, 2]) / (2 * d)
        uxx = (u[2 + s, 2] - 2 * u[2, 2] + u[2 - s, 2]) / d**2
        out.append(ut + u[2, 2] * ux - nu * uxx)
    return out


def _residual_is_truncation_only(r_h, r_2h):
    """A true solution leaves only the O(h²) truncation error h²(u_ttt/6 + u u_xxx/6 − ν u_xxxx/12):
    halving the step divides it by 4, and the Richardson-extrapolated residual is ~0."""
    extrapolated = (4 * r_h - r_2h) / 3
    return abs(r_h) < 1e-4 and abs(r_2h / r_h - 4) < 0.05 and abs(extrapolated) < 0.02 * abs(r_2h) + 1e-10


@pytest.mark.parametrize("x0", [-0.8, -0.5, -0.2, 0.2, 0.5, 0.8])
@pytest.mark.parametrize("t0", [0.2, 0.5, 0.9])
def test_pde_residual_is_finite_difference_truncation(x0, t0):
    # h = 5e-4: the measured |residual| is 5e-9 ... 9e-6 and the step-halving ratio 4.000 ± 0.001.
    r_h, r_2h = _fd_residuals(x0, t0, 5e-4, NU)
    assert _residual_is_truncation_only(r_h, r_2h), (r_h, r_2h)
    # The check can fail: a 1 % wrong viscosity leaves an O(1) residual part that does not shrink.
    assert not _residual_is_truncation_only(*_fd_residuals(x0, t0, 5e-4, 1.01 * NU))


# --- settings and input validation ------------------------------------------------------------------

def test_unknown_setting_raises_and_names_valid_keys():
    with pytest.raises(ValueError, match="quadrature_order"):
        ref.solve(PDE, (X_AXIS, T_AXIS), quadrature_ordr=50)


@pytest.mark.parametrize("order", [0, 1, 2.5, True, ref.MAX_QUADRATURE_ORDER + 1])
def test_bad_quadrature_order_raises(order):
    with pytest.raises(ValueError):
        ref.solve(PDE, (X_AXIS, T_AXIS), quadrature_order=order)


def test_settings_are_recorded():
    _, info = ref.solve(PDE, (X_AXIS[::20], T_AXIS[::20]), quadrature_order=60)
    assert info["settings"] == {"quadrature_order": 60}
    assert 1e-11 < info["estimated_max_abs_error"] < 1e-6  # order 60 is not yet at rounding level


def test_other_initial_condition_is_rejected():
    class Shifted(Burgers):
        @staticmethod
        def initial(x, xp=np):
            return -xp.sin(xp.pi * x) + 0.1

    with pytest.raises(ValueError, match="sin"):
        ref.solve(Shifted(), (X_AXIS, T_AXIS))


def test_negative_time_is_rejected():
    with pytest.raises(ValueError):
        ref.solve(PDE, (X_AXIS, np.array([-0.1, 0.0])))
