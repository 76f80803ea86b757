"""The artifacts a claim reads, by name: tidy tables under ``figures/<scale>/`` and ``results/<scale>/``
(``pinnlab.layout``), which are the inputs of the ``claims_report`` rule.

A missing (or unreadable) file raises ``MissingArtifact``: the claim is then "not yet evaluated", never given a
verdict. Every table is read once per evaluation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.layout import Layout

# name -> (root: "figures" | "results", path under <root>/<scale>/, the Snakemake target that makes it)
ARTIFACTS = {
    "table2": ("figures", "table2_l2re.csv", "table2"),
    "fig1a": ("figures", "fig1a_ntk_drift.csv", "ntk"),
    "fig1a_runs": ("figures", "fig1a_runs.csv", "ntk"),
    "fig1b": ("figures", "fig1b_hessian_norm.csv", "hessian"),
    "ntk_eigenvalues": ("results", "ntk_spectra/eigenvalues.csv", "ntk"),
    "ntk_width_limit": ("results", "ntk_spectra/width_limit.csv", "ntk"),
    "newton": ("figures", "newton_outcomes.csv", "newton"),
    "kleingordon_errors": ("figures", "kleingordon_errors.csv", "kleingordon"),
    "kleingordon_curves": ("figures", "kleingordon_curves.csv", "kleingordon"),
    "kleingordon_annealing_cost": ("figures", "kleingordon_annealing_cost.csv", "kleingordon"),
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
    return {name: where[root](scale, rel) for name, (root, rel, _) in ARTIFACTS.items()}


class Artifacts:
    def __init__(self, paths: dict[str, str | Path], scale: str):
        self.paths = {name: Path(p) for name, p in paths.items()}
        self.scale = scale

    def path(self, name: str) -> Path:
        return self.paths[name]

    @cache  # noqa: B019 - one Artifacts object per evaluation; caching its tables is the point
    def table(self, name: str) -> pd.DataFrame:
        path = self.path(name)
        if not path.exists():
            raise MissingArtifact(f"{path} does not exist")
        try:
            return pd.read_csv(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable table is "missing" for a claim
            raise MissingArtifact(f"{path} is unreadable ({exc})") from exc

    def l2re(self, pde: str, method: str) -> float:
        """Best final L2RE of a Table-2 cell over seeds (the papers report the best); ∞ if every run diverged."""
        t = self.table("table2")
        row = t[(t.pde == pde) & (t.method == method)]
        if row.empty or row.iloc[0].status in ("pending", "not run"):
            raise Inconclusive(f"Table 2 has no runs of {method} on {pde} at this scale")
        return np.inf if row.iloc[0].status == "diverged" else float(row.iloc[0].ours_best)
