"""The artifacts a claim reads, by name: tidy tables under ``figures/<scale>/`` and ``results/<scale>/``
(``pinnlab.layout``), which are the inputs of the ``claims_report`` rule.

A missing (or unreadable) file raises ``MissingArtifact``: the claim is then "not yet evaluated", never given a
verdict. Every table is read once per evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from pinnlab.layout import Layout


class Source(NamedTuple):
    root: str  # "figures" | "results"
    path: str  # under <root>/<scale>/
    target: str  # the Snakemake target that makes it
    unit: str | None  # the column of its independent repeats (seeds, timing repeats) that stability leaves out


ARTIFACTS = {
    "table2": Source("figures", "table2_l2re.csv", "table2", None),
    "table2_runs": Source("figures", "table2_runs.csv", "table2", "seed"),
    "fig1a": Source("figures", "fig1a_ntk_drift.csv", "ntk", "seed"),
    "fig1a_runs": Source("figures", "fig1a_runs.csv", "ntk", "seed"),
    "fig1b": Source("figures", "fig1b_hessian_norm.csv", "hessian", "seed"),
    "ntk_eigenvalues": Source("results", "ntk_spectra/eigenvalues.csv", "ntk", "seed"),
    "ntk_width_limit": Source("results", "ntk_spectra/width_limit.csv", "ntk", "seed"),
    "newton_runs": Source("results", "newton/runs.csv", "newton", "seed"),
    "kleingordon_curves": Source("figures", "kleingordon_curves.csv", "kleingordon", "seed"),
    "kleingordon_annealing_cost": Source("figures", "kleingordon_annealing_cost.csv", "kleingordon", "repeat"),
}


class MissingArtifact(Exception):
    """An artifact a claim needs does not exist (yet) or cannot be read."""


class Inconclusive(Exception):
    """The artifacts exist but cannot decide the claim (too few widths, cells not run, …); ``details``: a Markdown
    block for the report, as ``Evidence.details``."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def artifact_paths(layout: Layout, scale: str) -> dict[str, str]:
    """Where each artifact of ``ARTIFACTS`` lies at ``scale``."""
    where = {"figures": layout.figure, "results": layout.result}
    return {name: where[s.root](scale, s.path) for name, s in ARTIFACTS.items()}


class Artifacts:
    """The artifacts of one scale, read once. ``without(unit, value)`` is the same set with one repeat left out of
    every table whose unit it is (one seed, one timing repeat): what the stability check re-evaluates on."""

    def __init__(self, paths: dict[str, str | Path], scale: str, _read: dict | None = None,
                 _left_out: tuple[str, object] | None = None):
        self.paths = {name: Path(p) for name, p in paths.items()}
        self.scale = scale
        self._read = {} if _read is None else _read  # shared with every ``without`` view
        self.left_out = _left_out

    def path(self, name: str) -> Path:
        return self.paths[name]

    def _raw(self, name: str) -> pd.DataFrame:
        if name not in self._read:
            path = self.path(name)
            if not path.exists():
                raise MissingArtifact(f"{path} does not exist")
            try:
                self._read[name] = pd.read_csv(path)
            except Exception as exc:  # noqa: BLE001 - any unreadable table is "missing" for a claim
                raise MissingArtifact(f"{path} is unreadable ({exc})") from exc
        return self._read[name]

    def table(self, name: str) -> pd.DataFrame:
        t = self._raw(name)
        if self.left_out is not None:
            unit, value = self.left_out
            if ARTIFACTS[name].unit == unit and unit in t.columns:
                t = t[t[unit] != value]
        return t

    def units(self, names) -> list[tuple[str, object]]:
        """The (unit, value) pairs of the repeats in the tables ``names`` (those that exist), sorted."""
        found = set()
        for name in names:
            unit = ARTIFACTS[name].unit
            try:
                t = self._raw(name)
            except MissingArtifact:
                continue
            if unit is not None and unit in t.columns:
                found |= {(unit, v.item() if hasattr(v, "item") else v) for v in t[unit].dropna().unique()}
        return sorted(found, key=str)

    def without(self, unit: str, value) -> Artifacts:
        return Artifacts(self.paths, self.scale, self._read, (unit, value))
