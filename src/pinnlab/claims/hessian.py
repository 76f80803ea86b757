"""Hessian claims (Fig. 1b): the target's Thm 3 and Sec. 4.

Both statements are about the part of ∇²L_r = G + R that the lazy (NTK) regime says vanishes: the residuals'
Hessians ∇²r_i inside R = (2c/N) Σ r_i ∇²r_i (``pinnlab.experiments.fig1b``). Not the full norm that the paper's
Fig. 1b plots: its Gauss–Newton part G, the NTK's residual block, does not vanish with width in the lazy regime
either. Not ‖R‖ alone either: R ∝ r, and at a Glorot initialisation the residuals of a PDE without forcing shrink
with width (the network's output does), whatever ∇²r_i does. So both claims are decided on
``curvature_per_residual`` = ‖(1/N) Σ_i (r_i / rms r) ∇²r_i‖ = ‖R‖ / (2c · rms r), with ‖R‖ and the full norm shown
beside.

A width trend is the exponent b of median_seeds(value)(m) ∝ m^b, fitted by least squares in log–log over the widths;
its spread is a percentile bootstrap over seeds resampled within each width (the min..max band over seeds would
widen as seeds are added). Each check, its threshold and its record side by side; ``CLAIMS`` lists them in report
order.
"""

from __future__ import annotations

import numpy as np

from pinnlab.claims.artifacts import HESSIAN_PDES, Artifacts, Inconclusive, MissingArtifact, NotMade, fig1b_table
from pinnlab.claims.base import Choice, Claim, Evidence
from pinnlab.claims.stats import LEVEL, width_exponent

# Halfway between no decay (b = 0) and the lazy regime's m^(-1/2) (‖∇²r_i‖ = O(1/√m) for a linear PDE:
# Liu, Zhu and Belkin 2020, "On the linearity of large non-linear models"; Bonfanti et al. 2024 for PINNs).
VANISHING_EXPONENT = -0.25
DECIDING = "curvature_per_residual"
NORMS = ("hessian_norm", "gauss_newton_norm", "curvature_norm")  # scale with the loss convention's constant c
QUANTITY = Choice("quantity", "quantity", (DECIDING, "curvature_norm", "hessian_norm"), paper="hessian_norm",
                  why="Fig. 1b plots the full norm, whose Gauss–Newton part does not vanish in the lazy regime either; "
                  "‖R‖ shrinks with the residuals; ‖R‖/rms r is what Thm 3 is about")
CONVENTION = Choice("convention", "loss convention", ("mean", "half_mean"), paper="half_mean",
                    why="the sources' code takes mean r², the papers' formulas ½ mean r²: the norms scale by ½, "
                    "‖R‖/rms r not at all")


def _side(lo: float, hi: float):
    """True: does not vanish, False: vanishes, None: the interval straddles the threshold."""
    return True if lo > VANISHING_EXPONENT else False if hi < VANISHING_EXPONENT else None


def _describe(a: Artifacts, pde: str, quantity: str, convention: str) -> tuple[str, dict, bool | None]:
    try:
        sub = a.table(fig1b_table(pde))
    except NotMade as exc:
        raise Inconclusive(f"Fig. 1b has no {pde} norms at this scale") from exc
    if DECIDING not in sub.columns:
        raise MissingArtifact(f"the Fig. 1b table of {pde} has no {DECIDING} column (made before the G + R "
                              f"decomposition)")
    if sub.empty:
        raise Inconclusive(f"Fig. 1b has no {pde} norms at this scale")
    if convention == "half_mean":  # the table is the mean convention's (config loss_convention: mean)
        sub = sub.assign(**{c: sub[c] / 2 for c in NORMS})
    b, lo, hi = width_exponent(sub, quantity)
    b_r, b_full = (width_exponent(sub, c)[0] for c in ("curvature_norm", "hessian_norm"))
    widths, seeds = sorted(sub.width.unique()), int(sub.groupby("width").seed.nunique().min())
    widest = sub[sub.width == widths[-1]]
    share = float(np.median(widest.curvature_norm / widest.hessian_norm))
    text = (f"{pde}: {quantity} ∝ m^b, b = {b:.2f} [{lo:.2f}, {hi:.2f}] (w{widths[0]}–{widths[-1]}, {seeds} seeds); "
            f"‖R‖ ∝ m^{b_r:.2f}, ‖∇²L_r‖ ∝ m^{b_full:.2f}; median ‖R‖/‖∇²L_r‖ at w{widths[-1]} = {share:.2g}")
    numbers = {f"{pde}_b": b, f"{pde}_b_lo": lo, f"{pde}_b_hi": hi, f"{pde}_b_curvature": b_r,
               f"{pde}_b_full": b_full, f"{pde}_curvature_share": share}
    return text, numbers, _side(lo, hi)


def _decide(a: Artifacts, pdes, combine, quantity: str, convention: str) -> Evidence:
    """``combine`` maps the PDEs' sides (True, False or None each) to the outcome, None when undecided."""
    found = [_describe(a, p, quantity, convention) for p in pdes]
    text = "; ".join(t for t, _, _ in found)
    outcome = combine([s for _, _, s in found])
    if outcome is None:
        raise Inconclusive(f"the bootstrap interval of b straddles {VANISHING_EXPONENT}: {text}")
    return Evidence(outcome, text, {k: v for _, n, _ in found for k, v in n.items()})


def _every(sides):  # every PDE keeps its residual curvature
    return False if False in sides else None if None in sides else True


def _some(sides):  # some PDE keeps its residual curvature
    return True if True in sides else None if None in sides else False


RULE = (f"the exponent b of ‖R‖/rms r ∝ m^b (median over seeds) does not vanish when its whole {LEVEL:.0%} "
        f"bootstrap interval lies above {VANISHING_EXPONENT}, halfway between no decay and the lazy regime's "
        f"m^(-1/2); vanishes when it lies below; else inconclusive")
READING = ("Decided on the residual Hessians ∇²r_i (as ‖R‖/rms r = ‖(1/N) Σ (r_i/rms r) ∇²r_i‖), not on Fig. 1b's "
           "full norm, whose Gauss–Newton part G (the NTK's residual block) does not vanish in the lazy regime "
           "either, nor on ‖R‖ alone, which shrinks with the residuals: at a Glorot initialisation the network's "
           "output, hence the residual of a PDE without forcing, shrinks with width.")

def check_hessian_deg2(a: Artifacts, quantity: str = DECIDING, convention: str = "mean") -> Evidence:
    return _decide(a, HESSIAN_PDES["deg2"], _every, quantity, convention)


def check_hessian_linear(a: Artifacts, quantity: str = DECIDING, convention: str = "mean") -> Evidence:
    return _decide(a, HESSIAN_PDES["linear"], _some, quantity, convention)


HESSIAN_DEG2_NONVANISHING = Claim(
    "hessian-deg2-nonvanishing", "T, Thm 3 / Fig. 1b",
    "for degree-2 polynomial PDEs (Reaction, Burgers) the residual-loss Hessian does not vanish with width",
    tuple(map(fig1b_table, HESSIAN_PDES["deg2"])), "fig1b_hessian_norm.png", check_hessian_deg2,
    f"Reaction and Burgers both keep their residual curvature: {RULE}", note=READING,
    choices=(QUANTITY, CONVENTION))

HESSIAN_LINEAR_NOT_NECESSARILY_VANISHING = Claim(
    "hessian-linear-not-necessarily-vanishing", "T, Sec. 4 on Fig. 1b",
    "“the Hessian does not necessarily vanish in the linear regime”",
    tuple(map(fig1b_table, HESSIAN_PDES["linear"])), "fig1b_hessian_norm.png", check_hessian_linear,
    f"Convection or Wave (linear PDEs) keeps its residual curvature: {RULE}",
    note=READING + " One linear PDE that keeps it is enough: “not necessarily”.", choices=(QUANTITY, CONVENTION))


CLAIMS = (HESSIAN_DEG2_NONVANISHING, HESSIAN_LINEAR_NOT_NECESSARILY_VANISHING)
