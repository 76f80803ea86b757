"""Fig. 1a (rule ``fig1a_figure``): ΔK during Adam training vs width, from the metrics of the Fig. 1a runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import plt, save
from pinnlab.training.artifacts import read_summary


def _width_colors(widths):
    cmap = plt.get_cmap("viridis")
    return {w: cmap(i / max(1, len(widths) - 1)) for i, w in enumerate(sorted(widths))}


def plot_fig1a(tidy: pd.DataFrame, out_pdf, scale: str, kernel: str = "rr", norm: str = "spectral") -> None:
    """Top: ΔK(t) of K_rr (spectral norm), mean ± std over seeds, one curve per width, one panel per PDE.
    Bottom: ΔK at the last step against width, K_rr and K_uu, both norms."""
    pdes = list(dict.fromkeys(tidy.pde))
    widths = sorted(tidy.width.unique())
    colors = _width_colors(widths)
    fig, axes = plt.subplots(2, len(pdes), figsize=(3.1 * len(pdes), 6), squeeze=False)
    for j, pde in enumerate(pdes):
        ax = axes[0, j]
        # ΔK(0) = 0 by definition: the log axis starts at the first logged step
        d = tidy[(tidy.pde == pde) & (tidy.kernel == kernel) & (tidy.norm == norm) & (tidy.step > 0)]
        for w in widths:
            g = d[d.width == w].groupby("step").delta_k
            mean, std = g.mean(), g.std().fillna(0)
            ax.plot(mean.index, mean, color=colors[w], label=f"m = {w}")
            ax.fill_between(mean.index, np.maximum(mean - std, mean / 10), mean + std, color=colors[w], alpha=0.2,
                            lw=0)
        ax.set_yscale("log")
        ax.set_title(PDE_LABELS.get(pde, pde))
        ax.set_xlabel("iteration")
        if j == 0:
            ax.set_ylabel(r"$\Delta K_{rr}(t)$, spectral norm")
            ax.legend(fontsize=7)
        ax = axes[1, j]
        last = tidy[(tidy.pde == pde)]
        last = last[last.step == last.step.max()]
        for (kern, nrm), style in {("rr", "spectral"): "o-", ("rr", "frobenius"): "o--",
                                   ("uu", "spectral"): "s-", ("uu", "frobenius"): "s--"}.items():
            g = last[(last.kernel == kern) & (last.norm == nrm)].groupby("width").delta_k
            ax.errorbar(g.mean().index, g.mean(), yerr=g.std().fillna(0), fmt=style, ms=4, capsize=2,
                        label=f"K_{kern}, {nrm}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("width m (one hidden layer)")
        if j == 0:
            ax.set_ylabel("ΔK at the last step")
            ax.legend(fontsize=7)
    fig.suptitle(f"Fig. 1a: relative change of the NTK during Adam training ({scale} scale; mean ± std over seeds)",
                 fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def drift_table(summaries, metrics) -> pd.DataFrame:
    """Tidy ΔK curves of every Fig. 1a run: pde, width, seed, step, kernel (rr | uu), norm, delta_k, status."""
    frames = []
    for summary_path, metrics_path in zip(summaries, metrics):
        s = read_summary(summary_path)
        m = pd.read_csv(metrics_path)
        cols = [c for c in m.columns if c.startswith("ntk_drift_")]
        long = m.melt(id_vars=["step"], value_vars=cols, var_name="measure", value_name="delta_k")
        parts = long.measure.str.removeprefix("ntk_drift_").str.split("_", expand=True)
        frames.append(long.assign(pde=s["pde"], width=s["width"], seed=s["seed"], status=s["status"],
                                  kernel=parts[0], norm=parts[1]).drop(columns="measure"))
    return pd.concat(frames, ignore_index=True)[["pde", "width", "seed", "step", "kernel", "norm", "delta_k",
                                                 "status"]]


def fig1a_figure(job) -> None:
    """``fig1a_ntk_drift.{csv,pdf,png}``."""
    tidy = drift_table(job.input.summaries, job.input.metrics)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    tidy.to_csv(job.output.csv, index=False)
    plot_fig1a(tidy, Path(job.output.pdf), job.wildcards.scale)
