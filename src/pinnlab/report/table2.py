"""Table 2 of the target paper (rule ``table2``): L2RE per PDE and method, ours (best and median over seeds)
beside the paper's.

Tidy CSV (one row per PDE × method) plus Markdown and LaTeX renderings. A method that is not
implemented yet is "pending", one that is implemented but has no runs at this scale "not run" — never a
number; diverged runs are counted and left out of best / median (a cell whose runs all diverged says so).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.catalog import METHODS as TABLE2_METHODS
from pinnlab.paper import PDE_LABELS, TABLE2_PAPER, TABLE2_PDES
from pinnlab.training.artifacts import read_summary
from pinnlab.training.methods import BUILDERS


def collect_table2(summary_paths) -> pd.DataFrame:
    runs = {}
    for path in summary_paths:
        s = read_summary(path)
        runs.setdefault((s["pde"], s["method"]), []).append(s)
    rows = []
    for pde in TABLE2_PDES:
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
            })
    return pd.DataFrame(rows)


def _fmt(x) -> str:
    return "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.2e}"


def _cell(row) -> str:
    if row.status in ("pending", "not run"):
        return row.status
    if row.status == "diverged":
        return f"diverged ({row.n_diverged}/{row.n_seeds})"
    text = f"{_fmt(row.ours_best)} / {_fmt(row.ours_median)}"
    return text + (f" ({row.n_diverged} div.)" if row.n_diverged else "")


def render_markdown(table: pd.DataFrame, scale: str) -> str:
    methods = list(TABLE2_METHODS)
    head = "| PDE | " + " | ".join(f"{TABLE2_METHODS[m]} ours | paper" for m in methods) + " |"
    sep = "| --- |" + " --- | --- |" * len(methods)
    lines = [f"# Table 2: L2 relative error ({scale} scale)", "",
             "Ours: best / median over seeds of the final L2RE; paper: the target paper's Table 2 "
             "(× = left empty by the paper).", "", head, sep]
    for pde in TABLE2_PDES:
        cells = []
        for m in methods:
            row = table[(table.pde == pde) & (table.method == m)].iloc[0]
            cells += [_cell(row), "×" if row.paper is None or pd.isna(row.paper) else _fmt(row.paper)]
        lines.append(f"| {PDE_LABELS[pde]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_latex(table: pd.DataFrame, scale: str) -> str:
    methods = list(TABLE2_METHODS)
    lines = [r"\begin{tabular}{l" + "rr" * len(methods) + "}", r"\toprule",
             " & " + " & ".join(rf"\multicolumn{{2}}{{c}}{{{TABLE2_METHODS[m]}}}" for m in methods) + r" \\",
             "PDE & " + " & ".join(["ours", "paper"] * len(methods)) + r" \\", r"\midrule"]
    for pde in TABLE2_PDES:
        cells = []
        for m in methods:
            row = table[(table.pde == pde) & (table.method == m)].iloc[0]
            ours = row.status if row.status in ("pending", "not run") else (
                "diverged" if row.status == "diverged" else _fmt(row.ours_best))
            cells += [ours, r"$\times$" if row.paper is None or pd.isna(row.paper) else _fmt(row.paper)]
        lines.append(f"{PDE_LABELS[pde]} & " + " & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}",
              f"% {scale} scale; ours = best final L2RE over seeds; paper = target paper's Table 2"]
    return "\n".join(lines) + "\n"


def write_table2(summary_paths, outputs, scale: str) -> pd.DataFrame:
    """``outputs``: the paths ``csv``, ``md`` and ``tex`` (attributes)."""
    Path(outputs.csv).parent.mkdir(parents=True, exist_ok=True)
    table = collect_table2(summary_paths)
    table.to_csv(outputs.csv, index=False)
    Path(outputs.md).write_text(render_markdown(table, scale))
    Path(outputs.tex).write_text(render_latex(table, scale))
    return table


def table2_l2re(job) -> pd.DataFrame:
    """``table2_l2re.{csv,md,tex}`` from the run summaries given as inputs."""
    table = write_table2(job.input.summaries, job.output, job.wildcards.scale)
    print(Path(job.output.md).read_text(), flush=True)
    return table
