"""Reference solution of Heat2d-LT, u_t = D Δu + S(u, x, y, t) on [0, 1]² × [0, T], u = 0 on the boundary.

Method: sine-spectral Galerkin/collocation in space plus ETDRK4 in time. (One module of ~300 lines on purpose: the
basis, the time stepper, the symmetry reduction and the error estimate share one set of arrays and conventions.)

* Space. u = Σ a_mn(t) sin(mπx) sin(nπy). D Δ is diagonal in this basis (−D π²(m² + n²)) and
  is integrated exactly. The source ``pde.source`` (with ``pde.initial``, the only place where the
  equation's formula lives) is evaluated pseudo-spectrally: coefficients → values on the interior
  DST-I grid (``scipy.fft.dstn``, type 1) → source → coefficients.
* Time. ETDRK4 of Cox & Matthews (2002), "Exponential time differencing for stiff systems",
  J. Comput. Phys. 176, 430–455, with the φ-function coefficients evaluated by the contour
  integral of Kassam & Trefethen (2005), "Fourth-order time-stepping for stiff PDEs", SIAM J.
  Sci. Comput. 26, 1214–1233 (no cancellation for the slowly decaying modes). Each interval
  between requested times is split into equal steps no longer than ``dt``.
* Symmetry. If ``pde.initial`` and ``pde.source`` are odd about the lines x = j/c (checked
  numerically at random points, so nothing is assumed about the formula), the solution lies in
  span{sin(c m' πx)}: only every c-th x-mode is computed, on the grid of the cell [0, 1/c]. For
  the paper's constants c = 4 in x (initial sin 4πx, forcing sin 4πx) and 1 in y (sin 3πy vs
  sin 2πy), which makes the solve 4× cheaper with the same resolution.

What the solution does (paper constants, measured): from max|u| = 1 it grows within ~1 time unit
to plateaus at u² = π (max|u| = √π ≈ 1.7725, the stable zero of sin(u²) while the time factor
1 + 2 sin(πt/4) is positive), separated by fronts set by the weak diffusion. When the time factor
turns negative (t mod 8 ∈ (14/3, 22/3)) u collapses to max|u| ≈ 0.18–0.19 and is smooth again.
From t ≈ 24 on the motion is periodic with period 8: the fronts do not sharpen over time. The
hardest times are the growth phases (t mod 8 ≈ 1.5–2.5); there the sine coefficients decay
geometrically, ~6x per 32 modes (|a| ≈ 5e−2 at mode 32, 8e−5 at 128, 2e−7 at 256, 1e−9 at 383).

Measured on the project grid (x = y = linspace(0, 1, 33), t = linspace(0, 100, 101)) against a
run with 383 modes and dt = 0.004: max error 2.7e−4 (191 modes, dt 0.004), 6.2e−5 (223, dt 0.004),
8.3e−5 for the defaults (255 modes, dt 0.01; ≈ 1.5e−5 of it spatial, the rest temporal), 1.6e−5
(255, dt 0.005) — 4.7e−5 of max|u| for the defaults, against a target of 1e−3. ETDRK4's observed
order is 3.2–3.9 at dt = 0.04 → 0.005. Sampling the source on a 3/2-padded grid changes the
default solution by 1.2e−5, below its error, so ``padding`` defaults to 1 (plain collocation).
The in-run estimate of ``solve`` for the defaults is 3.9e−4 (2.7e−4 spatial bound + 1.3e−4
temporal), about 5x the measured 8.3e−5: it is meant as an upper bound. Defaults take ~16 s for
the solve and ~19 s with the error-estimating companion runs (2 cores).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.fft import dstn

DEFAULT_SETTINGS: dict = {
    "modes": 255,          # sine modes per axis on the full square (x: only multiples of the symmetry c)
    "dt": 0.01,            # largest ETDRK4 step
    "padding": 1.0,        # source sampled on ≈ padding × (modes + 1) grid points per axis (1 = collocation)
    "symmetry": True,      # use the reflection symmetry of the problem, when the numerical check finds one
    "error_estimate": True,  # run the two companion solves that measure the error (see solve)
}

# Reported target of the defaults: max abs error below 1e-3 of max|u| (√π); tests check the info.
TARGET_RELATIVE_ERROR = 1e-3

# Kassam–Trefethen contour: points on a unit circle around each −hλ. With 64 the coefficients
# match a series / closed-form evaluation to ≤ 2e-13 relative for hλ ∈ [1e-6, 80] (worst near
# hλ = 1, where the circle passes close to 0).
_CONTOUR_POINTS = 64

# The temporal error estimate divides |u(dt) − u(2dt)| by 2^p − 1 with p = 3, although ETDRK4 is
# 4th order: the measured orders for dt from 0.04 to 0.005 are 3.2–3.9 (error ratios 9–15 per
# halving), so 2^4 − 1 = 15 could underestimate by up to ~40 %; 7 keeps the estimate an upper bound.
_RICHARDSON_DIVISOR = 2**3 - 1


@dataclass
class ModalSolution:
    """Sine coefficients of u: u(x, y, t_k) = Σ a[k, i, j] sin(mx[i] π x) sin(my[j] π y)."""

    t: np.ndarray    # (nt,)
    mx: np.ndarray   # (Nx,) mode numbers in x
    my: np.ndarray   # (Ny,) mode numbers in y
    a: np.ndarray    # (nt, Nx, Ny)
    stats: dict


def _odd_about_cells(pde, axis: int, c: int, rng: np.random.Generator, n: int = 64) -> bool:
    """True if initial and source are odd about every line ``z_axis = j/c`` (0 < j < c), checked at random points.

    That pointwise property is what keeps span{sin(c m πz)} invariant under the equation: for u
    odd about j/c, S(u(j/c + s), j/c + s) = −S(u(j/c − s), j/c − s).
    """
    for j in range(1, c):
        s = rng.uniform(0.0, min(j, c - j) / c, n)
        other = rng.uniform(0.0, 1.0, n)
        t = rng.uniform(0.0, float(pde.t_end), n)
        w = rng.uniform(-3.0, 3.0, n)
        lo, hi = j / c - s, j / c + s
        xy_lo = (lo, other) if axis == 0 else (other, lo)
        xy_hi = (hi, other) if axis == 0 else (other, hi)
        i_lo, i_hi = pde.initial(*xy_lo, xp=np), pde.initial(*xy_hi, xp=np)
        s_lo, s_hi = pde.source(w, *xy_lo, t, xp=np), pde.source(-w, *xy_hi, t, xp=np)
        scale = 1.0 + np.abs(i_lo).max() + np.abs(s_lo).max()
        if np.abs(i_lo + i_hi).max() > 1e-12 * scale or np.abs(s_lo + s_hi).max() > 1e-12 * scale:
            return False
    return True


def symmetry_cells(pde, max_cells: int = 8) -> tuple[int, int]:
    """The largest c ≤ ``max_cells`` per axis (x, y) for which the solution is odd about z = j/c."""
    rng = np.random.default_rng(0)
    cells = []
    for axis in (0, 1):
        cells.append(next(c for c in range(max_cells, 0, -1) if c == 1 or _odd_about_cells(pde, axis, c, rng)))
    return cells[0], cells[1]


def _phi_coefficients(lam: np.ndarray, h: float):
    """ETDRK4 coefficients for a' = −λ a + N: e^{−λh}, e^{−λh/2}, Q, f1, f2, f3 (Kassam–Trefethen's notation).

    Evaluated as means over a circle of radius 1 around z = −λh, which avoids the cancellation of
    the closed forms for |z| ≪ 1 (the slowest modes have λh ~ 1e-4).
    """
    r = np.exp(1j * np.pi * (np.arange(1, _CONTOUR_POINTS + 1) - 0.5) / _CONTOUR_POINTS)
    z = (-lam * h)[..., None] + r
    ez = np.exp(z)
    q = h * np.mean((np.exp(z / 2) - 1) / z, axis=-1).real
    f1 = h * np.mean((-4 - z + ez * (4 - 3 * z + z**2)) / z**3, axis=-1).real
    f2 = h * np.mean((2 + z + ez * (z - 2)) / z**3, axis=-1).real
    f3 = h * np.mean((-4 - 3 * z - z**2 + ez * (4 - z)) / z**3, axis=-1).real
    return np.exp(-lam * h), np.exp(-lam * h / 2), q, f1, f2, f3


def etdrk4(lam: np.ndarray, nonlinear, a0: np.ndarray, t_eval, dt: float):
    """Integrate a' = −λ a + N(a, t) from t = 0 with ETDRK4; return a at each of ``t_eval`` and the step count.

    ``t_eval`` must be non-decreasing and ≥ 0; each gap is split into ceil(gap/dt) equal steps.
    """
    t_eval = np.asarray(t_eval, dtype=np.float64)
    if t_eval.ndim != 1 or np.any(t_eval < 0) or np.any(np.diff(t_eval) < 0) or not np.all(np.isfinite(t_eval)):
        raise ValueError("t_eval must be a finite, non-decreasing 1-d array of times >= 0")
    if not dt > 0:
        raise ValueError(f"dt must be > 0, got {dt}")
    cache: dict[float, tuple] = {}
    a = np.array(a0, dtype=np.float64)
    out = np.empty((len(t_eval),) + a.shape)
    t_now, steps = 0.0, 0
    for k, t_next in enumerate(t_eval):
        gap = t_next - t_now
        n = math.ceil(gap / dt * (1 - 1e-12)) if gap > 0 else 0
        if n:
            h = gap / n
            # Equal gaps (linspace) differ in the last bits; share coefficients across them.
            key = float(f"{h:.12e}")
            if key not in cache:
                cache[key] = _phi_coefficients(lam, h)
            e, e2, q, f1, f2, f3 = cache[key]
            for i in range(n):
                t = t_now + i * h
                nv = nonlinear(a, t)
                p = e2 * a + q * nv
                na = nonlinear(p, t + h / 2)
                b = e2 * a + q * na
                nb = nonlinear(b, t + h / 2)
                c = e2 * p + q * (2 * nb - nv)
                nc = nonlinear(c, t + h)
                a = e * a + f1 * nv + 2 * f2 * (na + nb) + f3 * nc
            steps += n
            t_now = float(t_next)
        out[k] = a
    return out, steps


def solve_modes(pde, t_eval, modes: int = DEFAULT_SETTINGS["modes"], dt: float = DEFAULT_SETTINGS["dt"],
                padding: float = DEFAULT_SETTINGS["padding"], symmetry: bool = True) -> ModalSolution:
    """Sine coefficients of the solution at ``t_eval`` with ``modes`` modes per axis (see module docstring).

    With symmetry c in x, the x-modes are c, 2c, …, c·⌊modes/c⌋ (the others vanish identically).
    """
    modes = int(modes)
    cx, cy = symmetry_cells(pde) if symmetry else (1, 1)
    nx, ny = modes // cx, modes // cy
    if nx < 1 or ny < 1:
        raise ValueError(f"modes={modes} is too small for symmetry cells {(cx, cy)}")
    if not padding >= 1:
        raise ValueError(f"padding must be >= 1, got {padding}")
    mx, my = cx * np.arange(1, nx + 1), cy * np.arange(1, ny + 1)
    # Interior DST-I grid of each cell [0, 1/c]: g points z_k = k / (c (g + 1)).
    gx, gy = round(padding * (nx + 1)) - 1, round(padding * (ny + 1)) - 1
    x = (np.arange(1, gx + 1) / (cx * (gx + 1)))[:, None]
    y = (np.arange(1, gy + 1) / (cy * (gy + 1)))[None, :]
    # Unnormalised DST-I applied twice is 2(g+1)·identity: values = dstn(a)/4, a = dstn(values)/((gx+1)(gy+1)).
    to_coef = 1.0 / ((gx + 1) * (gy + 1))
    work = np.zeros((gx, gy))

    # workers=1: at these sizes (~10^4 points) pocketfft's threading costs more than it saves;
    # solve() uses the second core for its companion runs instead.
    def values(a):
        work[:nx, :ny] = a  # zero beyond the kept modes: padding is interpolation by the series
        return dstn(work, type=1, workers=1) / 4

    def coefficients(v):
        return dstn(v, type=1, workers=1)[:nx, :ny] * to_coef

    evaluations = 0

    def nonlinear(a, t):
        nonlocal evaluations
        evaluations += 1
        return coefficients(pde.source(values(a), x, y, t, xp=np))

    lam = pde.diffusivity * np.pi**2 * (mx[:, None] ** 2 + my[None, :] ** 2)
    a0 = coefficients(pde.initial(x, y, xp=np))
    start = time.perf_counter()
    a, steps = etdrk4(lam, nonlinear, a0, t_eval, dt)
    stats = {"steps": steps, "rhs_evaluations": evaluations, "symmetry_cells": [cx, cy],
             "grid_points_per_cell": [gx, gy], "seconds": round(time.perf_counter() - start, 3)}
    return ModalSolution(np.asarray(t_eval, dtype=np.float64), mx, my, a, stats)


def synthesize(sol: ModalSolution, x, y) -> np.ndarray:
    """u on the tensor grid x × y at the solution's times, shape (len(x), len(y), nt), by summing the series."""
    sx = np.sin(np.pi * np.outer(np.asarray(x, dtype=np.float64), sol.mx))
    sy = np.sin(np.pi * np.outer(np.asarray(y, dtype=np.float64), sol.my))
    return np.einsum("im,kmn,jn->ijk", sx, sol.a, sy, optimize=True)


def _max_difference(fine: ModalSolution, coarse: ModalSolution, x, y) -> float:
    """max |u_fine − u_coarse| over the requested points and over the fine run's cell grid, all times."""
    if fine.mx[0] != coarse.mx[0] or fine.my[0] != coarse.my[0]:
        raise ValueError("the two runs use different symmetry cells")
    diff = -np.array(fine.a)
    diff[:, : len(coarse.mx), : len(coarse.my)] += coarse.a
    on_points = np.abs(synthesize(ModalSolution(fine.t, fine.mx, fine.my, diff, {}), x, y)).max()
    # The cell's interior DST-I grid with 4x the modes as points resolves the difference field.
    gx, gy = 4 * len(fine.mx) + 3, 4 * len(fine.my) + 3
    padded = np.zeros((len(fine.t), gx, gy))
    padded[:, : len(fine.mx), : len(fine.my)] = diff
    on_grid = np.abs(dstn(padded, type=1, axes=(1, 2)) / 4).max()
    return float(max(on_points, on_grid))


def solve(pde, axes, **settings) -> tuple[np.ndarray, dict]:
    """u on the tensor grid ``axes = (x, y, t)``, shape (len x, len y, len t), and an info dict.

    Settings (``DEFAULT_SETTINGS``): ``modes`` per axis, ETDRK4 step ``dt``, ``padding`` of the
    source grid, ``symmetry`` reduction, ``error_estimate``. The error estimate runs two companion
    solves over the same times: one with ¾ of the modes and the same dt — the whole difference
    counts as spatial error (an upper bound as the coarse run's own error dominates in geometric
    convergence) — and one with the same modes and 2·dt, whose difference divided by 7 (Richardson,
    order ≥ 3) is the time error; the two are added. Differences are maxima over the requested
    points and a fine grid of the domain at the requested times.
    """
    unknown = set(settings) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; valid settings: {sorted(DEFAULT_SETTINGS)}")
    cfg = {**DEFAULT_SETTINGS, **settings}
    cfg = {k: type(DEFAULT_SETTINGS[k])(v) for k, v in cfg.items()}  # plain Python types: JSON-serialisable
    x, y, t = (np.asarray(a, dtype=np.float64) for a in axes)
    if np.any((x < 0) | (x > 1)) or np.any((y < 0) | (y > 1)):
        raise ValueError("x and y must lie in [0, 1]")
    start = time.perf_counter()
    run = partial(solve_modes, pde, t, padding=cfg["padding"], symmetry=cfg["symmetry"])
    coarse_modes = (3 * (int(cfg["modes"]) + 1)) // 4 - 1
    # Two threads (the FFTs and ufuncs release the GIL): the main solve beside the companions.
    with ThreadPoolExecutor(max_workers=2) as pool:
        main = pool.submit(run, cfg["modes"], cfg["dt"])
        if cfg["error_estimate"]:
            space = pool.submit(run, coarse_modes, cfg["dt"])
            timed = pool.submit(run, cfg["modes"], 2 * cfg["dt"])
        sol = main.result()
    u = synthesize(sol, x, y)
    info = {
        "method": ("sine-spectral (DST-I pseudo-spectral source) in space, ETDRK4 (Cox-Matthews, "
                   "Kassam-Trefethen contour coefficients) in time"),
        "settings": cfg,
        "max_abs_u": float(np.abs(u).max()),
        "steps": sol.stats["steps"],
        "rhs_evaluations": sol.stats["rhs_evaluations"],
        "symmetry_cells": sol.stats["symmetry_cells"],
        "solve_seconds": sol.stats["seconds"],
    }
    if cfg["error_estimate"]:
        e_space = _max_difference(sol, space.result(), x, y)
        e_time = _max_difference(sol, timed.result(), x, y) / _RICHARDSON_DIVISOR
        info |= {
            "estimated_max_abs_error": e_space + e_time,
            "estimated_spatial_error": e_space,
            "estimated_temporal_error": e_time,
            "error_estimate_method": (
                f"max|u - u'| against a run with {coarse_modes} modes (spatial, bound) plus max|u - u''|/7 "
                f"against a run with dt = {2 * cfg['dt']:g} (Richardson, ETDRK4 order >= 3), over the "
                "requested points and a fine grid at the requested times"),
        }
    else:
        info |= {"estimated_max_abs_error": None,
                 "error_estimate_method": "not estimated (error_estimate=False)"}
    info["wall_seconds"] = round(time.perf_counter() - start, 3)
    return u, info
