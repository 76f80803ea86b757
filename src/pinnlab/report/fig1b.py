"""Fig. 1b (rule ``fig1b_figure``): ‖∇²L_r‖ at initialisation vs width, and its two parts, from ``fig1b_norms``.

Top row: the paper's figure, the full norm. Middle row: its decomposition ∇²L_r = G + R into the Gauss–Newton term
G and the residual curvature R = (2c/N) Σ r_i ∇²r_i (``pinnlab.experiments.fig1b``). Bottom row: ‖R‖ / (2c · rms r),
the residual Hessians ∇²r_i without the residuals' size — the quantity the Hessian claims are decided on
(``pinnlab.claims.hessian``) — with the lazy regime's m^(-1/2) for comparison. Lines are medians over seeds, bands
span min..max over seeds, dots are the seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import plt, save

SERIES = {  # column -> (label, colour)
    "hessian_norm": (r"$\|\nabla^2 L_r\|$", "#1f77b4"),
    "gauss_newton_norm": (r"$\|G\|$, $G = \frac{2c}{N} J_r^\top J_r$", "#ff7f0e"),
    "curvature_norm": (r"$\|R\|$, $R = \frac{2c}{N} \sum_i r_i \nabla^2 r_i$", "#2ca02c"),
    "curvature_per_residual": (r"$\|R\| / (2c\,\mathrm{rms}\,r)$", "#9467bd"),
}


def seed_band(ax, sub: pd.DataFrame, column: str) -> None:
    """Median over seeds (line), min..max over seeds (band), each seed (dots), against width."""
    label, color = SERIES[column]
    g = sub.groupby("width")[column]
    ax.fill_between(g.min().index, g.min(), g.max(), color=color, alpha=0.18, lw=0)
    ax.plot(sub.width, sub[column], ".", color=color, alpha=0.45, ms=4)
    ax.plot(g.median().index, g.median(), "o-", color=color, label=label, lw=1.6, ms=4)


def plot_fig1b(table: pd.DataFrame, out_pdf, scale: str) -> None:
    pdes = list(dict.fromkeys(table.pde))
    fig, axes = plt.subplots(3, len(pdes), figsize=(3.1 * len(pdes), 8.4), squeeze=False, sharex=True)
    for col, pde in enumerate(pdes):
        sub = table[table.pde == pde]
        seed_band(axes[0, col], sub, "hessian_norm")
        seed_band(axes[1, col], sub, "gauss_newton_norm")
        seed_band(axes[1, col], sub, "curvature_norm")
        seed_band(axes[2, col], sub, "curvature_per_residual")
        widths = np.array(sorted(sub.width.unique()), float)
        start = sub[sub.width == widths[0]].curvature_per_residual.median()
        axes[2, col].plot(widths, start * (widths / widths[0]) ** -0.5, ":", color="0.4",
                          label=r"$\propto m^{-1/2}$ (lazy regime)")
        axes[0, col].set_title(PDE_LABELS.get(pde, pde))
        axes[2, col].set_xlabel("width m (one hidden layer)")
        for ax in axes[:, col]:
            ax.set_xscale("log")
            ax.set_yscale("log")
    axes[0, 0].set_ylabel(r"$\|\nabla^2 L_r\|$ (as the paper)")
    axes[1, 0].set_ylabel(r"$\|G\|$ and $\|R\|$")
    axes[2, 0].set_ylabel(r"$\|\frac{1}{N}\sum_i \frac{r_i}{\mathrm{rms}\,r} \nabla^2 r_i\|$")
    for row in (1, 2):
        axes[row, 0].legend(fontsize=8, loc="best")
    conv = table.loss_convention.iloc[0]
    fig.suptitle(f"Fig. 1b: spectral norms of the residual-loss Hessian ∇²L_r = G + R at initialisation vs width "
                 f"({scale} scale; L_r = {'mean' if conv == 'mean' else '½ mean'} r², c = "
                 f"{'1' if conv == 'mean' else '½'}; median, min..max band and dots over "
                 f"{table.seed.nunique()} seeds)", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def fig1b_figure(job) -> None:
    """``fig1b_hessian_norm.{csv,pdf,png}``: every PDE's norms in one table, and the figure."""
    table = pd.concat([pd.read_csv(c) for c in job.input.csvs], ignore_index=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    plot_fig1b(table, Path(job.output.pdf), job.wildcards.scale)
