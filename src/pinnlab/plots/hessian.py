"""Fig. 1b (‖∇²L_r‖ at initialisation vs width) and the Hessian spectral densities after training."""

from __future__ import annotations

import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.plots.style import METHOD_COLORS, plt, save

METHOD_LABELS = {"adam": "after Adam", "adam_lbfgs": "after Adam+L-BFGS", "gdnd": "after GDND",
                 "pinn_ntk": "after PINN-NTK"}


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
