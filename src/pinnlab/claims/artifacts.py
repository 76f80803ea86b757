"""The artifacts a claim reads, by name: tidy tables under ``figures/<scale>/`` and ``results/<scale>/``
(``pinnlab.layout``), which are the inputs of the ``claims_report`` rule — or, at the paper scale on a machine without
a GPU, the copy kept in a record (``records/<scale>/<record>/``, ``records/collect.py``) where the DAG has not made
the file and a CPU cannot (``Source.cpu``); a claim's evidence then names the record, its device and date.

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
    record: str  # the record that keeps a copy: records/<scale>/<record>/<file name>
    cpu: bool  # whether a CPU makes it at the paper scale (the records' measured wall times say so)
    fig1b_pde: str | None = None  # a Fig. 1b table: made only at the scales whose ``fig1b.pdes`` list this PDE


# The PDEs of the Hessian claims (pinnlab.claims.hessian), each read from its own Fig. 1b table, not from the
# figure's: a claim waits only for the tables it reads (Heat2d-LT's, needed by the figure alone, is the costliest).
HESSIAN_PDES = {"linear": ("convection", "wave"), "deg2": ("reaction", "burgers")}


def fig1b_table(pde: str) -> str:
    """The artifact name of ``pde``'s Fig. 1b table."""
    return f"fig1b_{pde}"



ARTIFACTS = {
    "table2": Source("figures", "table2_l2re.csv", "table2", None, "table2", cpu=False),
    "table2_runs": Source("figures", "table2_runs.csv", "table2", "seed", "table2", cpu=False),
    "fig1a": Source("figures", "fig1a_ntk_drift.csv", "fig1a", "seed", "fig1a", cpu=False),
    "fig1a_runs": Source("figures", "fig1a_runs.csv", "fig1a", "seed", "fig1a", cpu=False),
    **{fig1b_table(pde): Source("results", f"fig1b/{pde}.csv", "fig1b", "seed", "fig1b", cpu=True, fig1b_pde=pde)
       for pdes in HESSIAN_PDES.values() for pde in pdes},
    "ntk_eigenvalues": Source("results", "ntk_spectra/eigenvalues.csv", "ntk", "seed", "ntk_spectra", cpu=True),
    "ntk_width_limit": Source("results", "ntk_spectra/width_limit.csv", "ntk", "seed", "ntk_spectra", cpu=True),
    "newton_runs": Source("results", "newton/runs.csv", "newton", "seed", "newton", cpu=True),
    "kleingordon_curves": Source("figures", "kleingordon_curves.csv", "kleingordon", "seed", "kleingordon",
                                 cpu=True),
    "kleingordon_annealing_cost": Source("figures", "kleingordon_annealing_cost.csv", "kleingordon", "repeat",
                                         "kleingordon", cpu=True),
}
GPU_ESTIMATE = ("the GPU time of Table 2's cells, from measured paper-size steps on one H200, and what it cannot "
                "price yet: `python benchmarks/gpu_estimate.py records/gpu_check/2026-11-27-h200`")
RECORDS = "records"
"""The folder of the kept records (records/README.md)."""


def record_path(name: str, scale: str, root: str | Path = RECORDS) -> Path:
    """Where a record keeps artifact ``name`` of ``scale`` (whether or not it exists)."""
    return Path(root) / scale / ARTIFACTS[name].record / Path(ARTIFACTS[name].path).name


def record_of(path: str | Path) -> dict | None:
    """The provenance of the record a file belongs to (``provenance.json`` beside it), or None for a DAG file."""
    if path is None:
        return None
    provenance = Path(path).parent / "provenance.json"
    if not provenance.exists():  # DAG folders hold no provenance.json
        return None
    import json

    p = json.loads(provenance.read_text())
    devices = sorted({s["device"] for s in p.get("software", [])})
    return {"record": f"{p['scale']}/{p['name']}", "devices": devices, "recorded": p["recorded"][:10],
            "commits": sorted({s["git_commit"][:12] for s in p.get("software", [])})}


class MissingArtifact(Exception):
    """An artifact a claim needs does not exist (yet) or cannot be read."""


class NotMade(MissingArtifact):
    """An artifact that this scale does not make at all (a Fig. 1b PDE its config does not list)."""


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
        # None: not made here (the paper scale on a machine without a GPU) and kept in no record
        self.paths = {name: None if p is None else Path(p) for name, p in paths.items()}
        self.scale = scale
        self._read = {} if _read is None else _read  # shared with every ``without`` view
        self.left_out = _left_out

    def path(self, name: str) -> Path:
        return self.paths[name]

    def _raw(self, name: str) -> pd.DataFrame:
        if name not in self._read:
            path = self.path(name)
            if path is None and ARTIFACTS[name].cpu:
                raise NotMade(f"{ARTIFACTS[name].path} is not made at the {self.scale} scale (its config leaves it "
                              f"out)")
            if path is None:
                raise MissingArtifact(f"{ARTIFACTS[name].path} needs a GPU at the {self.scale} scale and no record "
                                      f"holds it: `snakemake --profile profiles/gpu {ARTIFACTS[name].target} --config "
                                      f"scale={self.scale}` on a GPU makes it ({GPU_ESTIMATE})")
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
