"""Table 2 of the target paper (rule ``table2``): L2RE per PDE and method, ours (best and median over seeds)
beside the paper's, then our control columns (``catalog.CONTROLS``), and the trivial baselines of each PDE.

Tidy CSV (one row per PDE × method) plus Markdown and LaTeX renderings. A method that is not
implemented yet is "pending", one that is implemented but has no runs at this scale "not run" — never a
number; diverged runs are counted and left out of best / median (a cell whose runs all diverged says so).

**Trivial baselines and "not learned"** (issue #13, point 7). From each PDE's reference solution
(``evaluate.trivial_baselines``): u ≡ 0, the time-mean field, the initial condition copied to every t. A cell is
*learned* iff the median of its seeds' final L2RE (a diverged seed counting as ∞) is at most ``LEARNED_FRACTION``
× the best of its PDE's baselines; otherwise it is marked "not learned". The median, not the best, because the
mark says what the method does, not what one lucky seed did. The margin is a factor 2 because runs that learned
nothing scatter around the trivial level by tens of percent from seed to seed (one seed of a failed cell can land
below a baseline), while a learned solution sits well below it: with this margin, the paper's own Table 2 splits
into the cells it reports as failures (PINN-NTK on Convection, all but PCPINN on Heat2d-LT), not learned, and the
rest, learned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.catalog import CONTROLS, METHODS
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import load_reference, trivial_baselines
from pinnlab.paper import PDE_LABELS, TABLE2_PAPER, TABLE2_PDES
from pinnlab.training.artifacts import read_summary
from pinnlab.training.methods import BUILDERS

TABLE2_METHODS = {**METHODS, **CONTROLS}
"""The columns: the paper's (and PCPINN+GDND), then the controls."""

BASELINES = {"zero": "u ≡ 0", "time_mean": "time mean", "initial": "u(x, 0) for all t"}
"""The trivial fields of ``evaluate.trivial_fields``, with their labels."""

LEARNED_FRACTION = 0.5
"""A cell is learned iff its median L2RE ≤ this × its PDE's best baseline (the module's docstring says why)."""


def reference_baselines(reference_paths) -> dict[str, dict[str, float]]:
    """PDE -> the L2RE of each trivial field; a reference file is named after its PDE (``layout.reference``)."""
    return {Path(p).stem: trivial_baselines(load_reference(p)) for p in reference_paths}


def is_learned(l2res, n_diverged: int, best_baseline: float) -> bool:
    """The median over every seed (a diverged one as ∞) at most ``LEARNED_FRACTION`` × the best baseline."""
    return bool(np.median([*l2res, *[np.inf] * n_diverged]) <= LEARNED_FRACTION * best_baseline)


def _baseline_columns(values: dict[str, float] | None) -> dict:
    if values is None:
        return {f"baseline_{b}": np.nan for b in BASELINES} | {"baseline_best": np.nan, "baseline_best_name": None}
    best = min(values, key=values.get)
    return {f"baseline_{b}": values[b] for b in BASELINES} | {"baseline_best": values[best],
                                                             "baseline_best_name": best}


def collect_table2(summary_paths, reference_paths=()) -> pd.DataFrame:
    runs = {}
    for path in summary_paths:
        s = read_summary(path)
        runs.setdefault((s["pde"], s["method"]), []).append(s)
    baselines = reference_baselines(reference_paths)
    missing = sorted({pde for pde, _ in runs} - set(baselines))
    if missing:
        raise PinnlabError(f"Table 2 has runs on {missing} but not their reference solutions: give "
                           "data/reference/<pde>.npz as the table's `references` input (rule table2_l2re)")
    rows = []
    for pde in TABLE2_PDES:
        base = _baseline_columns(baselines.get(pde))
        for method in TABLE2_METHODS:
            group = runs.get((pde, method), [])
            ok = [s["final"]["l2re"] for s in group if s["status"] == "ok" and s["final"].get("l2re") is not None]
            n_div = sum(s["status"] == "diverged" for s in group)
            if not group:
                status = "not run" if method in BUILDERS else "pending"
            else:
                status = "diverged" if not ok else "ok"
            rows.append({
                "pde": pde, "method": method,
                "ours_best": min(ok) if ok else np.nan,
                "ours_median": float(np.median(ok)) if ok else np.nan,
                "n_seeds": len(group), "n_diverged": n_div,
                "width": group[0]["width"] if group else np.nan,
                "iterations": group[0]["iterations"] if group else np.nan,
                "paper": TABLE2_PAPER[pde].get(method),  # None: the paper has no such column or cell
                "status": status,
                "control": method in CONTROLS,
                **base,
                "learned": is_learned(ok, n_div, base["baseline_best"]) if group else None,
            })
    return pd.DataFrame(rows)


def _fmt(x) -> str:
    return "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.2e}"


def _not_learned(row) -> bool:
    """Marked cells: those with a number (a diverged cell says so already) that is not learned."""
    return row.status == "ok" and not bool(row.learned)


def _cell(row) -> str:
    if row.status in ("pending", "not run"):
        return row.status
    if row.status == "diverged":
        return f"diverged ({row.n_diverged}/{row.n_seeds})"
    text = f"{_fmt(row.ours_best)} / {_fmt(row.ours_median)}"
    text += f" ({row.n_diverged} div.)" if row.n_diverged else ""
    return text + (" **not learned**" if _not_learned(row) else "")


def _paper(row) -> str:
    return "×" if row.paper is None or pd.isna(row.paper) else _fmt(row.paper)


def _row(table: pd.DataFrame, pde: str, method: str):
    return table[(table.pde == pde) & (table.method == method)].iloc[0]


def render_markdown(table: pd.DataFrame, scale: str) -> str:
    head = ("| PDE | " + " | ".join(f"{METHODS[m]} ours | paper" for m in METHODS)
            + "".join(f" | {CONTROLS[m]} ours" for m in CONTROLS) + " |")
    sep = "| --- |" + " --- | --- |" * len(METHODS) + " --- |" * len(CONTROLS)
    lines = [f"# Table 2: L2 relative error ({scale} scale)", "",
             "Ours: best / median over seeds of the final L2RE; paper: the target paper's Table 2 "
             "(× = left empty by the paper). Control columns (last) are ours, not the paper's. "
             f"**not learned**: the cell's median is not below {LEARNED_FRACTION:g} × its PDE's best trivial "
             "baseline (below; `pinnlab.report.table2` says why); claims that compare methods do not "
             "compare two such cells.", "", head, sep]
    for pde in TABLE2_PDES:
        cells = []
        for m in METHODS:
            row = _row(table, pde, m)
            cells += [_cell(row), _paper(row)]
        cells += [_cell(_row(table, pde, m)) for m in CONTROLS]
        lines.append(f"| {PDE_LABELS[pde]} | " + " | ".join(cells) + " |")
    lines += ["", "## Trivial baselines (L2RE on the evaluation grid, from the reference solution)", "",
              "| PDE | " + " | ".join(BASELINES.values()) + " | best | learned if median ≤ |",
              "| --- |" + " --- |" * (len(BASELINES) + 2)]
    for pde in TABLE2_PDES:
        row = _row(table, pde, next(iter(METHODS)))
        if pd.isna(row.baseline_best):
            continue
        lines.append(f"| {PDE_LABELS[pde]} | " + " | ".join(f"{row[f'baseline_{b}']:.3f}" for b in BASELINES)
                     + f" | {BASELINES[row.baseline_best_name]} | {LEARNED_FRACTION * row.baseline_best:.3f} |")
    return "\n".join(lines) + "\n"


def render_latex(table: pd.DataFrame, scale: str) -> str:
    lines = [r"\begin{tabular}{l" + "rr" * len(METHODS) + "r" * len(CONTROLS) + "}", r"\toprule",
             " & " + " & ".join([rf"\multicolumn{{2}}{{c}}{{{METHODS[m]}}}" for m in METHODS]
                                + [CONTROLS[m].replace("&", r"\&").replace("λ", r"$\lambda$") for m in CONTROLS])
             + r" \\",
             "PDE & " + " & ".join(["ours", "paper"] * len(METHODS) + ["ours"] * len(CONTROLS)) + r" \\",
             r"\midrule"]

    def ours(row) -> str:
        if row.status in ("pending", "not run", "diverged"):
            return row.status
        return _fmt(row.ours_best) + (r"$^\dagger$" if _not_learned(row) else "")

    for pde in TABLE2_PDES:
        cells = []
        for m in METHODS:
            row = _row(table, pde, m)
            cells += [ours(row), r"$\times$" if row.paper is None or pd.isna(row.paper) else _fmt(row.paper)]
        cells += [ours(_row(table, pde, m)) for m in CONTROLS]
        lines.append(f"{PDE_LABELS[pde]} & " + " & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}",
              f"% {scale} scale; ours = best final L2RE over seeds; paper = target paper's Table 2; "
              rf"$\dagger$ = not learned (median not below {LEARNED_FRACTION:g} x the best trivial baseline)"]
    return "\n".join(lines) + "\n"


def collect_runs(summary_paths) -> pd.DataFrame:
    """One row per run (PDE, method, seed, status, final L2RE): what the claims weigh the seeds' spread with."""
    rows = [{k: s.get(k) for k in ("pde", "method", "seed", "status")} | {"l2re": s["final"].get("l2re")}
            for s in map(read_summary, summary_paths)]
    return pd.DataFrame(rows, columns=["pde", "method", "seed", "status", "l2re"]).sort_values(
        ["pde", "method", "seed"], kind="stable")


def write_table2(summary_paths, outputs, scale: str, reference_paths=()) -> pd.DataFrame:
    """``outputs``: the paths ``csv``, ``runs``, ``md`` and ``tex`` (attributes)."""
    Path(outputs.csv).parent.mkdir(parents=True, exist_ok=True)
    table = collect_table2(summary_paths, reference_paths)
    table.to_csv(outputs.csv, index=False)
    collect_runs(summary_paths).to_csv(outputs.runs, index=False)
    Path(outputs.md).write_text(render_markdown(table, scale))
    Path(outputs.tex).write_text(render_latex(table, scale))
    return table


def table2_l2re(job) -> pd.DataFrame:
    """``table2_l2re.{csv,md,tex}`` from the run summaries and the references given as inputs."""
    table = write_table2(job.input.summaries, job.output, job.wildcards.scale, job.input.get("references") or ())
    print(Path(job.output.md).read_text(), flush=True)
    return table
