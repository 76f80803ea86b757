"""Fig. 1b (rule ``fig1b_figure``): ‖∇²L_r‖ at initialisation vs width, from the norms of ``fig1b_norms``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import plt, save


def plot_fig1b(table: pd.DataFrame, out_pdf, scale: str) -> None:
    pdes = list(dict.fromkeys(table.pde))
    fig, axes = plt.subplots(1, len(pdes), figsize=(3.0 * len(pdes), 3.2), squeeze=False)
    for ax, pde in zip(axes[0], pdes):
        g = table[table.pde == pde].groupby("width").hessian_norm
        mean, std = g.mean(), g.std().fillna(0)
        ax.plot(mean.index, mean, "o-", color="#1f77b4")
        ax.fill_between(mean.index, (mean - std).clip(lower=mean / 100), mean + std, color="#1f77b4", alpha=0.25,
                        lw=0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(PDE_LABELS.get(pde, pde))
        ax.set_xlabel("width m (one hidden layer)")
    axes[0, 0].set_ylabel(r"$\|\nabla^2 L_r\|$ at initialisation")
    conv = table.loss_convention.iloc[0]
    fig.suptitle(f"Fig. 1b: spectral norm of the residual-loss Hessian vs width ({scale} scale; mean ± std over "
                 f"{table.seed.nunique()} seeds; L_r = {'mean' if conv == 'mean' else '½ mean'} r²)", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def fig1b_figure(job) -> None:
    """``fig1b_hessian_norm.{csv,pdf,png}``: every PDE's norms in one table, and the figure."""
    table = pd.concat([pd.read_csv(c) for c in job.input.csvs], ignore_index=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    plot_fig1b(table, Path(job.output.pdf), job.wildcards.scale)
