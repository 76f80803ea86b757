"""Statistics over seeds for the claims: bootstrap intervals and three-way decisions (issue #14).

Every comparison of numbers is decided on an interval that carries the seeds' spread, never on one value: the
interval lies on one side of the claim's threshold (pass or fail) or straddles it (inconclusive: within seed noise).
Intervals are percentile bootstraps over seeds (resampled within each group) with a fixed generator seed, so that
the same artifacts always give the same interval; ``LEVEL`` is their coverage.
"""

from __future__ import annotations

import numpy as np

from pinnlab.claims.artifacts import Inconclusive

LEVEL = 0.9  # the bootstrap interval: its 5 % and 95 % quantiles
RESAMPLES = 2000
MIN_SEEDS = 2  # a group of one seed has no spread: nothing to weigh a difference against


def _medians(values, rng, resamples: int) -> np.ndarray:
    """Bootstrap medians of one group (``resamples`` of them); ∞ (a diverged seed) is an ordinary large value."""
    v = np.asarray(values, float)
    return np.median(rng.choice(v, (resamples, v.size)), axis=1)


def interval(boot: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    # quantiles that are values of the resamples (no interpolation: ∞ for a diverged seed stays ∞)
    lo, hi = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2], method="inverted_cdf")
    return float(lo), float(hi)


def median_ratio(a, b, *, level: float = LEVEL, resamples: int = RESAMPLES, seed: int = 0):
    """(median(a) / median(b), lo, hi): the ratio of the medians of two groups of seeds and its bootstrap interval
    (seeds resampled within each group). ∞ stands for a diverged seed; ∞/∞ is left out of the interval."""
    for name, group in (("first", a), ("second", b)):
        if len(group) < MIN_SEEDS:
            raise Inconclusive(f"{len(group)} seed(s) in the {name} group: no spread to weigh the ratio against")
    rng = np.random.default_rng(seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        point = float(np.median(a) / np.median(b))
        boot = _medians(a, rng, resamples) / _medians(b, rng, resamples)
    boot = boot[~np.isnan(boot)]
    if boot.size == 0:
        raise Inconclusive("both groups diverged")
    return (point, *interval(boot, level))


def median_interval(values, *, level: float = LEVEL, resamples: int = RESAMPLES, seed: int = 0):
    """(median, lo, hi): the median of one group (seeds, paired timing repeats) and its bootstrap interval."""
    if len(values) < MIN_SEEDS:
        raise Inconclusive(f"{len(values)} value(s): no spread to weigh the median against")
    rng = np.random.default_rng(seed)
    return (float(np.median(values)), *interval(_medians(values, rng, resamples), level))


def width_exponent(sub, value: str, *, level: float = LEVEL, resamples: int = RESAMPLES, seed: int = 0):
    """(b, lo, hi): the exponent of median_seeds(value) ∝ width^b (least squares in log–log over the widths of
    ``sub``, a table with ``width`` and ``value`` columns) and its bootstrap interval."""
    groups = [np.log(np.maximum(g[value].to_numpy(float), np.finfo(float).tiny)) for _, g in sub.groupby("width")]
    if len(groups) < 2:
        raise Inconclusive("only one width at this scale: no trend with width")
    if min(len(g) for g in groups) < MIN_SEEDS:
        raise Inconclusive("one seed at some width: no spread to weigh the trend against")
    x = np.log(np.sort(sub.width.unique()).astype(float))
    x = x - x.mean()

    def slope(y):  # least squares on centred log widths; y has shape (..., widths)
        return (y @ x) / (x @ x)

    b = float(slope(np.array([np.median(v) for v in groups])))
    rng = np.random.default_rng(seed)
    boot = np.stack([_medians(v, rng, resamples) for v in groups], axis=1)
    return (b, *interval(slope(boot), level))


def side(lo: float, hi: float, threshold: float) -> bool | None:
    """True if the interval lies wholly below ``threshold``, False if wholly above, None if it straddles it."""
    return True if hi < threshold else False if lo > threshold else None


def every_seed(outcomes) -> bool | None:
    """Per-seed outcomes (True / False) to one: all True, all False, or None (the seeds disagree)."""
    values = set(map(bool, outcomes))
    return values.pop() if len(values) == 1 else None


def span(values) -> str:
    """min–max of a group of seeds, for evidence texts."""
    v = np.asarray(values, float)
    return f"{v.min():.3g}–{v.max():.3g}" if v.size > 1 else f"{v[0]:.3g}"
