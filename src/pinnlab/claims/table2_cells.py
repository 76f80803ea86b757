"""Table-2 cells as the claims compare them: every seed's final L2RE, learned cells only, and the seeds' spread.

A cell is the final L2RE of each of its seeds (``table2_runs.csv``; a diverged seed counts as ∞), with its PDE's
best trivial baseline (u ≡ 0, time-mean field, initial condition for all t: ``table2_l2re.csv``). It is *learned*
when its median is at most ``LEARNED_FRACTION`` × that baseline (``pinnlab.report.table2``'s rule, restated here
because claims never import a report; a test keeps the two equal).

**Comparisons** (issue #14). Two cells are compared on the ratio of their medians, decided by its bootstrap interval
(``claims.stats.median_ratio``, seeds resampled within each cell): the whole interval on one side of the rule's
factor decides, an interval across it is "within seed noise" (undecided). The papers report the best of 10 seeds;
that reading (``statistic="best"``) is shown beside as a sensitivity option, not used to decide, because one lucky
seed decides it. A cell that is not learned loses to a learned one whatever the numbers; two cells that are not
learned are both at the level of a field that knows no dynamics, and their order is noise — undecided; a learned
cell against one that is not is still held to the rule's factor (an order of magnitude below is a number).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinnlab import commands
from pinnlab.claims.artifacts import Artifacts, Inconclusive, MissingArtifact
from pinnlab.claims.base import Choice, fmt
from pinnlab.claims.stats import median_ratio, span
from pinnlab.paper import TABLE2_PDES

LEARNED_FRACTION = 0.5
LEARNED_RULE = ("cells compared only where one is learned (median below half the best trivial baseline): a "
                "not-learned cell loses to a learned one, two not-learned cells are not compared (inconclusive)")
SPREAD_RULE = ("two cells compare by the 90 % bootstrap interval of the ratio of their medians over seeds: wholly on "
               "one side of the factor decides, across it is within seed noise (undecided)")
STATISTICS = ("median", "best")
STATISTIC = Choice("statistic", "statistic over seeds", STATISTICS, paper="best",
                   why="the papers report the best of 10 seeds; the median with its bootstrap interval decides, "
                   "because one lucky seed decides the best")
PCPINN_VARIANTS = {"near-exact ILU": {}, "ILU(0)": {"pcpinn": "pcpinn_ilu0", "pcpinn_gdnd": "pcpinn_ilu0_gdnd"}}
PRECONDITIONER = Choice("preconditioner", "PCPINN's preconditioner", tuple(PCPINN_VARIANTS), paper="ILU(0)",
                        why="the paper's Sec. 3 describes an incomplete LU; ours decides with a near-exact one "
                        "(docs/pcpinn.md), ILU(0) runs where the config trains it")


@dataclass(frozen=True)
class Cell:
    seeds: tuple[float, ...]  # final L2RE per seed, ∞ for a diverged one
    learned: bool

    @property
    def best(self) -> float:
        return min(self.seeds)

    @property
    def median(self) -> float:
        return float(np.median(self.seeds))

    def __str__(self) -> str:
        inner = f"median {fmt(self.median)} ({span(self.seeds)}, {len(self.seeds)} seeds)"
        return inner + ("" if self.learned else " (not learned)")


def is_learned(values, best_baseline: float) -> bool:
    """The median over every seed (a diverged one as ∞) at most ``LEARNED_FRACTION`` × the best baseline."""
    return bool(np.median(values) <= LEARNED_FRACTION * best_baseline)


def _tables(a: Artifacts):
    t, runs = a.table("table2"), a.table("table2_runs")
    if "baseline_best" not in t:  # an older table: as good as missing
        raise MissingArtifact("Table 2 has no trivial baselines (made before issue #13): re-make it with "
                              f"`{commands.target('table2', scale=a.scale)}`")
    return t, runs


def cell(a: Artifacts, pde: str, method: str, pcpinn: str = "near-exact ILU") -> Cell:
    method = PCPINN_VARIANTS[pcpinn].get(method, method)
    t, runs = _tables(a)
    mine = runs[(runs.pde == pde) & (runs.method == method)]
    if mine.empty:
        raise Inconclusive(f"Table 2 has no runs of {method} on {pde} at this scale")
    values = tuple(np.inf if s != "ok" or pd.isna(v) else float(v) for s, v in zip(mine.status, mine.l2re))
    base = t[t.pde == pde].baseline_best
    if base.empty or pd.isna(base.iloc[0]):
        raise Inconclusive(f"Table 2 has no trivial baseline for {pde}: whether a cell is learned is unknown")
    return Cell(values, is_learned(values, float(base.iloc[0])))


def run_cells(a: Artifacts, pde: str, methods, pcpinn: str = "near-exact ILU") -> dict[str, Cell]:
    """The cells of ``methods`` on ``pde`` that were run; ``Inconclusive`` if none was."""
    _tables(a)
    out = {}
    for m in methods:
        try:
            out[m] = cell(a, pde, m, pcpinn)
        except Inconclusive:
            continue
    if not out:
        raise Inconclusive(f"Table 2 has no runs of {', '.join(methods)} on {pde} at this scale")
    return out


def best(cells: dict[str, Cell], statistic: str = "median") -> Cell:
    """The cell with the lowest ``statistic``, learned ones first (a group beats a cell if one member does)."""
    key = (lambda c: c.median) if statistic == "median" else (lambda c: c.best)
    return min(cells.values(), key=lambda c: (not c.learned, key(c)))


def compare(subject: Cell, other: Cell, factor: float = 1.0, statistic: str = "median", what: str = "") -> bool | None:
    """Is ``subject`` ≤ ``factor`` × ``other``? True / False where the seeds decide it, None within seed noise or
    where it means nothing (neither cell learned). ``statistic="best"``: the papers' best-of-seeds reading, no
    interval."""
    if not (subject.learned or other.learned):
        return None
    if not subject.learned:
        return False
    if statistic == "best":
        return bool(subject.best <= factor * other.best)
    try:
        _, lo, hi = median_ratio(subject.seeds, other.seeds)
    except Inconclusive:
        return None
    return True if hi <= factor else False if lo > factor else None


def ratio_text(subject: Cell, other: Cell, statistic: str = "median") -> str:
    """The ratio of the two cells' medians with its interval (or of their bests)."""
    if statistic == "best":
        return f"best {fmt(subject.best)} / {fmt(other.best)} = {subject.best / other.best:.3g}"
    try:
        r, lo, hi = median_ratio(subject.seeds, other.seeds)
    except Inconclusive as exc:
        return f"ratio of medians undecided ({exc})"
    return f"ratio of medians {r:.3g} [{lo:.3g}, {hi:.3g}]"


def every(outcomes: dict[str, bool | None], text: str) -> bool:
    """Passes if every outcome passes, fails if one fails, else inconclusive."""
    if any(v is False for v in outcomes.values()):
        return False
    if any(v is None for v in outcomes.values()):
        raise Inconclusive(f"{text} (undecided: {', '.join(k for k, v in outcomes.items() if v is None)})")
    return True


MAJORITY = 3  # "generally": on at least 3 of the 5 PDEs


def majority(outcomes: dict[str, bool | None], text: str) -> bool:
    """Passes with ≥ MAJORITY passing PDEs, fails when even the undecided ones could not reach it."""
    wins = sum(v is True for v in outcomes.values())
    open_ = sum(v is None for v in outcomes.values()) + len(set(TABLE2_PDES) - set(outcomes))
    if wins >= MAJORITY or wins + open_ < MAJORITY:
        return wins >= MAJORITY
    raise Inconclusive(f"{text} ({open_} PDE(s) undecided)")

