"""Table-2 cells as the claims compare them: learned cells only (issue #13, point 7).

A cell is *learned* when its median L2RE is clearly below the best trivial baseline of its PDE (u ≡ 0, time-mean
field, initial condition for all t: the ``learned`` column of the table, ``pinnlab.report.table2``). A comparison
of two cells is decided only where one of them is learned: a cell that is not learned loses to one that is,
whatever the numbers; two cells that are not learned are both at the level of a field that knows no dynamics, and
their order is noise — the comparison is inconclusive.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import pandas as pd

from pinnlab.claims.artifacts import Artifacts, Inconclusive, MissingArtifact
from pinnlab.claims.base import fmt
from pinnlab.paper import TABLE2_PDES

LEARNED_RULE = ("cells compared only where one is learned (median below half the best trivial baseline): a "
                "not-learned cell loses to a learned one, two not-learned cells are not compared (inconclusive)")


@dataclass(frozen=True)
class Cell:
    value: float  # best final L2RE over seeds (the papers report the best); ∞ if every seed diverged
    learned: bool  # the table's mark (pinnlab.report.table2)

    def __str__(self) -> str:
        return fmt(self.value) + ("" if self.learned else " (not learned)")


def learned_table(a: Artifacts):
    t = a.table("table2")
    if "learned" not in t:  # an older table: as good as missing
        raise MissingArtifact("Table 2 has no 'learned' column (made before the trivial baselines): re-make it "
                              "with `snakemake table2`")
    return t


def cell(a: Artifacts, pde: str, method: str) -> Cell:
    t = learned_table(a)
    value = a.l2re(pde, method)  # Inconclusive when the cell was not run
    learned = t[(t.pde == pde) & (t.method == method)].iloc[0].learned
    if pd.isna(learned):
        raise Inconclusive(f"Table 2 does not say whether {method} on {pde} is learned")
    return Cell(value, bool(learned))


def run_cells(a: Artifacts, pde: str, methods) -> dict[str, Cell]:
    """The cells of ``methods`` on ``pde`` that were run; ``Inconclusive`` if none was."""
    learned_table(a)
    out = {}
    for m in methods:
        try:
            out[m] = cell(a, pde, m)
        except Inconclusive:
            continue
    if not out:
        raise Inconclusive(f"Table 2 has no runs of {', '.join(methods)} on {pde} at this scale")
    return out


def best(cells: dict[str, Cell]) -> Cell:
    """The lowest value of ``cells``, learned if any of them is (a group beats a cell if one member does)."""
    return Cell(min(c.value for c in cells.values()), any(c.learned for c in cells.values()))


def beats(subject: Cell, other: Cell, rule=operator.lt, what: str = "") -> bool:
    """``rule(subject.value, other.value)`` where the comparison means something (the module's docstring)."""
    if not (subject.learned or other.learned):
        raise Inconclusive(f"{what}: neither cell is learned (no better than a trivial baseline)")
    return subject.learned and bool(rule(subject.value, other.value))


def decided(compare, *args, **kwargs) -> bool | None:
    """A comparison's outcome, or None where it cannot be decided (cells not run or not learned)."""
    try:
        return compare(*args, **kwargs)
    except Inconclusive:
        return None


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
