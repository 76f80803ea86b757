"""The Hessian spectral densities after training (rule ``hessian_density_figure``), from the densities and Ritz
values of ``hessian_density``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import METHOD_COLORS, plt, save

METHOD_LABELS = {"adam": "after Adam", "adam_lbfgs": "after Adam+L-BFGS", "gdnd": "after GDND",
                 "pinn_ntk": "after PINN-NTK"}


def plot_density(table: pd.DataFrame, ritz: pd.DataFrame, out_pdf, scale: str) -> None:
    pdes = list(dict.fromkeys(table.pde))
    fig, axes = plt.subplots(1, len(pdes), figsize=(4.0 * len(pdes), 3.3), squeeze=False)
    for ax, pde in zip(axes[0], pdes):
        for method, d in table[table.pde == pde].groupby("method", sort=False):
            top = ritz[(ritz.pde == pde) & (ritz.method == method)].node.max()
            ax.plot(d.eigenvalue, d.density, color=METHOD_COLORS.get(method), lw=0.8,
                    label=f"{METHOD_LABELS.get(method, method)} (λ_max ≈ {top:.3g})")
        ax.set_yscale("log")
        ax.set_ylim(1e-8, 10 * table.density.max())
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_title(PDE_LABELS.get(pde, pde))
        ax.set_xlabel("eigenvalue of the loss Hessian")
        ax.legend(fontsize=7)
    axes[0, 0].set_ylabel("spectral density")
    fig.suptitle(f"Hessian spectral density of the trained PINN loss (stochastic Lanczos quadrature, {scale} scale)",
                 fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def hessian_density_figure(job) -> None:
    """``hessian_density.{csv,pdf,png}``: every density in one table, and the figure."""
    table = pd.concat([pd.read_csv(c) for c in job.input.csvs], ignore_index=True)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    ritz = pd.concat([pd.read_csv(c) for c in job.input.ritz], ignore_index=True)
    plot_density(table, ritz, Path(job.output.pdf), job.wildcards.scale)
