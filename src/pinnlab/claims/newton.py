"""The exact-Newton claim of the exact-Hessian paper (H).

Each check, its threshold and the claim's record side by side; ``CLAIMS`` lists them in report order.
"""

from __future__ import annotations

from pinnlab.claims.artifacts import Artifacts, Inconclusive
from pinnlab.claims.base import Claim, Evidence

RELIABLE = 0.8  # "reliably fails": at least 80 % of initialisations end anywhere but at a minimum


def check_newton_fails(a: Artifacts) -> Evidence:
    n = a.table("newton")
    newton = n[n.method == "newton"]
    if newton.empty:
        raise Inconclusive("no exact-Newton runs")
    counts = newton[["minimum", "saddle", "not converged", "diverged"]].sum(axis=1)
    fail = 1 - newton["minimum"] / counts
    numbers = dict(zip(newton.problem, fail.astype(float)))
    return Evidence(bool((fail >= RELIABLE).all()), "; ".join(
        f"{p}: {int(r.saddle)} saddle, {int(r.diverged)} diverged, {int(r['not converged'])} not converged, "
        f"{int(r.minimum)} minimum" for p, (_, r) in zip(newton.problem, newton.iterrows())), numbers)


EXACT_NEWTON_FAILS = Claim(
    "exact-newton-fails", "H",
    "training with the exact Hessian (Newton) reliably fails, converging to non-minimising stationary points",
    ("newton",), "newton_outcomes.md", check_newton_fails,
    f"on every problem ≥ {RELIABLE:.0%} of the initialisations of exact Newton end at a saddle, diverge or "
    "do not converge")


CLAIMS = (EXACT_NEWTON_FAILS,)
