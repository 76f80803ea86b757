"""What a claim is (``Claim``), what its check returns (``Evidence``), and why a scale may not decide it.

A check returns ``Evidence(passed, text, numbers)``; it raises ``Inconclusive`` when the artifacts cannot decide,
among others when the seeds' spread straddles its threshold (``claims.stats``). It takes the claim's ``choices`` as
keywords, their first option by default.
``conclusive_at`` names the scales whose budgets can decide the claim: elsewhere the check still runs and its
outcome is shown, but the verdict is "inconclusive at this scale" (``scale_reasons`` says why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pinnlab.claims.artifacts import Inconclusive

SCALE_REASONS = {
    "smoke": "smoke runs prove that the code runs; their numbers mean nothing",
    # no budget typed here: the config is its one source (the reason went stale once, when the quick budget changed)
    "quick": "the quick Table-2 runs have a small fraction of the paper's iterations and seeds (config/config.yaml, "
             "scales.quick: seeds, protocols)",
}
KG_BUDGET = {**SCALE_REASONS, "quick": "the quick Klein–Gordon runs stop well before the source's 40,001 "
             "iterations, and the claim is about the error at the end"}
QUICK_AND_PAPER = ("quick", "paper")


@dataclass(frozen=True)
class Evidence:
    passed: bool
    text: str
    numbers: dict = field(default_factory=dict)
    details: str = ""  # a Markdown block shown below the claims table (e.g. the verdict under each analysis choice)


@dataclass(frozen=True)
class Choice:
    """A choice the paper leaves open (or a reading of its claim) that the probe depends on. The check takes it as
    the keyword ``key``; ``options`` (a tuple, or a function of the artifacts for options found in them) lists the
    values, the first of which decides the verdict; ``paper`` is the option closest to the paper (a value, a function
    of the artifacts, or None where none is). The report shows the verdict under each option side by side."""

    key: str
    label: str
    options: tuple | Callable
    paper: object = None
    why: str = ""

    def values(self, artifacts) -> tuple:
        return tuple(self.options(artifacts) if callable(self.options) else self.options)

    def closest(self, artifacts):
        return self.paper(artifacts) if callable(self.paper) else self.paper


@dataclass(frozen=True)
class Claim:
    id: str
    source: str  # paper and place (figure, table, theorem, section)
    statement: str
    artifacts: tuple[str, ...]  # names in claims.artifacts.ARTIFACTS
    evidence_file: str  # the figure or table, under figures/<scale>/, that shows the evidence
    check: object  # (Artifacts) -> Evidence
    threshold: str  # the pass rule and the reason for it
    conclusive_at: tuple[str, ...] = QUICK_AND_PAPER
    note: str = ""  # contradictions inside the sources, and how we read the claim
    scale_reasons: dict = field(default_factory=lambda: SCALE_REASONS)  # why a scale cannot decide it
    choices: tuple[Choice, ...] = ()  # the open choices its verdict is shown under (sensitivity)


def fmt(x: float) -> str:
    return "∞ (diverged)" if np.isinf(x) else f"{x:.3g}"


def ratio_widest_narrowest(df, value: str) -> tuple[float, int, int]:
    """Mean of ``value`` over seeds at the widest width / at the narrowest width."""
    means = df.groupby("width")[value].mean()
    if len(means) < 2:
        raise Inconclusive("only one width at this scale")
    return float(means.iloc[-1] / means.iloc[0]), int(means.index[0]), int(means.index[-1])
