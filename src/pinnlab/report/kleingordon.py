"""The Klein–Gordon table, training curves and figures (rule ``kleingordon_report``), from the M1–M4 run
artifacts and the analysis's arrays (``pinnlab.experiments.kleingordon_analysis``).

Each run's summary says what it is (model, seed, architecture, annealing, the loss groups): nothing here needs the
experiment's code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.paper import KLEINGORDON_PAPER
from pinnlab.report import kleingordon_plots as plots
from pinnlab.training.artifacts import read_metrics, read_summary


def group_losses(metrics: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """Per metrics row, the unweighted loss of the residual and of each group (L_ics = L_ic + L_ic_t, …)."""
    out = pd.DataFrame({"step": metrics.step, "res": metrics.loss_res})
    for g, members in groups.items():
        out[g] = sum(metrics[f"loss_{t}"] for t in members)
    return out


def load_runs(summaries, metrics) -> list[dict]:
    """Per run: its model, seed, summary, finite metrics rows and loss groups, from the given files."""
    runs = []
    for summary_path, metrics_path in zip(summaries, metrics):
        summary = read_summary(summary_path)
        settings = summary["config"]["settings"]
        runs.append({"model": summary["method"], "seed": summary["seed"], "summary": summary,
                     "metrics": read_metrics(metrics_path, summary_path).dropna(subset=["loss"]),
                     "groups": settings["groups"],
                     "architecture": settings["network"]["architecture"],
                     "annealing": settings["weighting"] is not None})
    return runs


def curves(runs: list[dict]) -> pd.DataFrame:
    """Tidy training curves of every (model, seed): L2RE, unweighted loss groups and the group weights."""
    frames = []
    for r in runs:
        m = r["metrics"]
        frame = group_losses(m, r["groups"]).rename(columns={k: f"loss_{k}" for k in ("res", *r["groups"])})
        frames.append(frame.assign(model=r["model"], seed=r["seed"], l2re=m.l2re.to_numpy(),
                                   **{f"weight_{g}": m[f"weight_{members[0]}"].to_numpy()
                                      for g, members in r["groups"].items()}))
    return pd.concat(frames, ignore_index=True)


def errors_table(runs: list[dict], curves: pd.DataFrame) -> pd.DataFrame:
    """One row per model: final and best-logged L2RE (best and median over seeds), final loss groups and their
    relative change against M1, final weights, wall time and its overhead over M1, and the sources' numbers."""
    rows = []
    last = curves.groupby(["model", "seed"], sort=False).last()
    for model in dict.fromkeys(r["model"] for r in runs):
        mine = [r for r in runs if r["model"] == model]
        ok = [r for r in mine if r["summary"]["status"] == "ok" and r["summary"]["final"].get("l2re") is not None]
        ends = last.loc[model].loc[[r["seed"] for r in ok]] if ok else last.loc[model].iloc[:0]
        med = ends.median(numeric_only=True)
        rows.append({"model": model, "architecture": mine[0]["architecture"], "annealing": mine[0]["annealing"],
                     "l2re_best": min((r["summary"]["final"]["l2re"] for r in ok), default=np.nan),
                     "l2re_median": float(np.median([r["summary"]["final"]["l2re"] for r in ok])) if ok else np.nan,
                     "best_logged_l2re": min((r["summary"]["best_logged_l2re"] for r in ok), default=np.nan),
                     "n_seeds": len(mine), "n_diverged": len(mine) - len(ok),
                     **{k: med[k] for k in med.index if k.startswith(("loss_", "weight_"))},
                     "wall_time_s": float(np.median([r["summary"]["wall_time_s"] for r in ok])) if ok else np.nan,
                     "paper_l2re": KLEINGORDON_PAPER["table5"].get(model),
                     "writeup_final_l2re": KLEINGORDON_PAPER["writeup_final"].get(model)})
    table = pd.DataFrame(rows)
    if "M1" in set(table.model):
        base = table[table.model == "M1"].iloc[0]
        for k in [c.removeprefix("loss_") for c in table.columns if c.startswith("loss_")]:
            table[f"change_vs_m1_{k}"] = table[f"loss_{k}"] / base[f"loss_{k}"] - 1
        table["l2re_change_vs_m1"] = table.l2re_median / base.l2re_median - 1
        table["time_overhead_vs_m1"] = table.wall_time_s / base.wall_time_s - 1
    for c in [c for c in table.columns if c.startswith("weight_")]:  # fixed at 1 unless annealed
        table.loc[~table.annealing.astype(bool), c] = np.nan
    return table


def render_markdown(table: pd.DataFrame, scale: str, iterations: int, seeds: list[int]) -> str:
    def f(x, pct=False):
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return "—"
        return f"{100 * x:+.1f} %" if pct else f"{x:.3g}" if abs(x) >= 1e-2 else f"{x:.2e}"

    has_m1 = "time_overhead_vs_m1" in table
    lines = [f"# Klein–Gordon: models M1–M4 ({scale} scale, {iterations} Adam iterations, seeds {seeds})", "",
             "L2RE on the 100 × 100 grid: final (best / median over seeds) and the best logged value; loss "
             "groups unweighted, median over seeds, relative change against M1; weights λ at the end (median); "
             "paper: Wang, Teng, Perdikaris 2021 Table 5; write-up: the JAX Klein–Gordon write-up's final "
             "errors (M1, M2). A model whose runs all diverged shows —.", "",
             "| model | L2RE best / median | best logged | paper | write-up | L_r (Δ vs M1) | L_ics (Δ) | L_bcs (Δ) "
             "| λ_ics | λ_bcs | time s (overhead vs M1) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in table.itertuples():
        def loss(k, r=r):
            return f(getattr(r, f"loss_{k}")) + (f" ({f(getattr(r, f'change_vs_m1_{k}'), True)})" if has_m1 else "")
        lines.append(f"| {r.model} | {f(r.l2re_best)} / {f(r.l2re_median)} | {f(r.best_logged_l2re)} | "
                     f"{f(r.paper_l2re)} | {f(r.writeup_final_l2re)} | {loss('res')} | {loss('ics')} | "
                     f"{loss('bcs')} | {f(r.weight_ics)} | {f(r.weight_bcs)} | {f(r.wall_time_s)}"
                     + (f" ({f(r.time_overhead_vs_m1, True)})" if has_m1 else "") + " |")
    return "\n".join(lines) + "\n"


def _by_model(arrays: dict) -> dict:
    """``{"<model>/<key>/...": array}`` -> ``{model: {key: ...}}`` (a trailing layer index becomes a list)."""
    out: dict = {}
    for name, value in arrays.items():
        model, key, *layer = name.split("/")
        if layer:
            out.setdefault(model, {}).setdefault(key, []).append((int(layer[0]), value))
        else:
            out.setdefault(model, {})[key] = value
    return {m: {k: [v for _, v in sorted(x)] if isinstance(x, list) else x for k, x in d.items()}
            for m, d in out.items()}


def kleingordon_report(job) -> pd.DataFrame:
    """``kleingordon_errors.{csv,md}``, ``kleingordon_curves.csv`` and the four figures."""
    i, o = job.input, job.output
    runs = load_runs(i.summaries, i.metrics)
    tidy = curves(runs)
    table = errors_table(runs, tidy)
    Path(o.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(o.csv, index=False)
    tidy.to_csv(o.curves, index=False)
    first = runs[0]["summary"]
    iterations, seeds = first["iterations"], list(dict.fromkeys(r["seed"] for r in runs))
    Path(o.md).write_text(render_markdown(table, job.wildcards.scale, iterations, seeds))
    with np.load(i.gradients) as g, np.load(i.fields) as f:
        gradients, fields = _by_model(dict(g)), _by_model(dict(f))
    caption = f"{job.wildcards.scale} scale, {iterations} Adam iterations"
    annealed = list(dict.fromkeys(r["model"] for r in runs if r["annealing"]))
    pdfs = {Path(p).stem.removeprefix("kleingordon_"): p for p in o.pdfs}
    plots.weights_figure(tidy, annealed, pdfs["weights"], caption)
    plots.fields_figure(fields, pdfs["fields"], caption + f", seed {seeds[0]}")
    plots.losses_figure(tidy, pdfs["losses"], caption)
    plots.gradients_figure(gradients, pdfs["gradients"], caption + f", seed {seeds[0]}")
    print(Path(o.md).read_text(), flush=True)
    return table
