"""The exact-Newton claim of the exact-Hessian paper (H).

Each check, its threshold and the claim's record side by side; ``CLAIMS`` lists them in report order.
The outcome classes and the minimum threshold are those of ``pinnlab.experiments.newton`` (``OUTCOMES``,
``StudySettings.minimum_fraction``), repeated here because claims never import an experiment; tests keep them equal.
"""

from __future__ import annotations

import pandas as pd

from pinnlab import commands
from pinnlab.claims.artifacts import Artifacts, Inconclusive, MissingArtifact
from pinnlab.claims.base import Claim, Evidence

OUTCOMES = ("minimum", "trivial solution", "non-minimising stationary point", "saddle", "not converged", "diverged")
STATIONARY_NOT_MINIMUM = ("trivial solution", "non-minimising stationary point", "saddle")
COMPARISONS = ("damped_newton", "gauss_newton", "lbfgs")
RELIABLE = 0.8  # "reliably": at least 80 % of the initialisations
MIN_SEEDS = 5  # below this a fraction of 80 % is one or two runs
MINIMUM_FRACTION = 1e-3  # a minimum: final loss ≤ this × the trivial loss


def _fractions(row, n: int) -> str:
    return ", ".join(f"{int(row[o])} {o}" for o in OUTCOMES if row[o]) + f" of {n}"


def outcome_counts(runs) -> pd.DataFrame:
    """Per problem and method: the count of each outcome (``OUTCOMES`` columns), the median final loss and the median
    trivial loss of the affine function, from the per-seed rows of ``runs.csv``."""
    counts = runs.groupby(["problem", "method"], sort=False).outcome.value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=list(OUTCOMES), fill_value=0)
    grouped = runs.groupby(["problem", "method"], sort=False)
    counts["median final loss"] = grouped.final_loss.median()
    counts["trivial loss (affine)"] = grouped.trivial_loss_affine.median()
    return counts.reset_index()


def check_newton_fails(a: Artifacts) -> Evidence:
    runs = a.table("newton_runs")
    if missing := {"problem", "outcome", "final_loss", "trivial_loss_affine"} - set(runs.columns):
        raise MissingArtifact(f"the Newton runs have no column(s) {sorted(missing)} (made before the loss-aware "
                              f"classes): re-make them with `{commands.target('newton', scale=a.scale)}`")
    if unknown := set(runs.outcome) - set(OUTCOMES):
        raise MissingArtifact(f"the Newton runs have outcomes {sorted(unknown)} that the claim does not know")
    t = outcome_counts(runs)
    decided, undecided, texts, numbers = {}, [], [], {}
    for problem, rows in t.groupby("problem", sort=False):
        rows = rows.set_index("method")
        if "newton" not in rows.index or not set(COMPARISONS) & set(rows.index):
            undecided.append(f"{problem} (exact Newton or every comparison method not run)")
            continue
        n = int(rows.loc["newton", list(OUTCOMES)].sum())
        share = rows["minimum"] / rows[list(OUTCOMES)].sum(axis=1)
        best = share.reindex(COMPARISONS).idxmax()
        newton, stationary = float(share["newton"]), float(rows.loc["newton", list(STATIONARY_NOT_MINIMUM)].sum() / n)
        numbers |= {f"{problem}: newton minimum share": newton, f"{problem}: best comparison minimum share":
                    float(share[best]), f"{problem}: newton stationary non-minimum share": stationary}
        text = (f"{problem}: exact Newton {_fractions(rows.loc['newton'], n)}; {best} reaches a minimum from "
                f"{share[best]:.0%}; median final loss of exact Newton {rows.loc['newton', 'median final loss']:.3g}, "
                f"of {best} {rows.loc[best, 'median final loss']:.3g}, trivial loss "
                f"{rows['trivial loss (affine)'].iloc[0]:.3g}")
        if n < MIN_SEEDS or share[best] < RELIABLE:
            undecided.append(f"{problem} ({n} seeds)" if n < MIN_SEEDS else
                             f"{problem} (no comparison method reaches a minimum from ≥ {RELIABLE:.0%})")
        else:
            decided[problem] = 1 - newton >= RELIABLE  # fails from ≥ 80 %
        texts.append(text)
    if undecided:
        texts.append("undecided: " + ", ".join(undecided))
    if not decided:
        raise Inconclusive("; ".join(texts))
    return Evidence(all(decided.values()), "; ".join(texts), numbers)


EXACT_NEWTON_FAILS = Claim(
    "exact-newton-fails", "H",
    "training with the exact Hessian (Newton) reliably fails, converging to non-minimising stationary points",
    ("newton_runs",), "newton_outcomes.md", check_newton_fails,
    f"deciding quantity: the share of initialisations from which a method ends at a minimum, a final loss "
    f"≤ {MINIMUM_FRACTION:g} × the trivial loss (that of the least-squares affine function on the same points). A "
    f"problem decides where it has ≥ {MIN_SEEDS} seeds and damped Newton, Gauss–Newton or L-BFGS reaches a minimum "
    f"from ≥ {RELIABLE:.0%} of the same initialisations (the failure is then Newton's, not the budget's or the "
    f"problem's); reproduced if on every deciding problem exact Newton reaches one from ≤ {1 - RELIABLE:.0%}, "
    "inconclusive if no problem decides. The threshold is meant to lie decades from both kinds of end point, the "
    "trivial loss (ratio 1) and the near-zero losses Gauss–Newton reaches (the evidence shows the medians, hence "
    "the margin); a stationary point with a positive semi-definite Hessian counts as a minimum only below it",
    note="The second half, how Newton fails, is reported, not decided: the share of its runs at a stationary point "
         "that is not a minimum (trivial solution, saddle or non-minimising stationary point).")


CLAIMS = (EXACT_NEWTON_FAILS,)
