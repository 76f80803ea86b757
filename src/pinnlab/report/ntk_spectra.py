"""The NTK spectra and width-limit figures (rule ``ntk_spectra_figures``), from the tables of ``ntk_spectra``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import plt, save


def plot_spectra(eig: pd.DataFrame, out_pdf, scale: str) -> None:
    """Eigenvalues of each diagonal NTK block at initialisation, one panel per (PDE, init)."""
    groups = list(eig.groupby(["pde", "init"], sort=False))
    fig, axes = plt.subplots(1, len(groups), figsize=(3.6 * len(groups), 3.4), squeeze=False)
    for ax, ((pde, init), d) in zip(axes[0], groups):
        for block, b in d.groupby("block", sort=False):
            positive = b[b.eigenvalue > 0]
            ax.loglog(positive["index"] + 1, positive.eigenvalue, ".-", ms=3,
                      label=f"K_{block}  (mean {b.eigenvalue.mean():.3g})")
        ax.set_title(f"{PDE_LABELS.get(pde, pde)}, {init} init, width {d.width.iloc[0]}", fontsize=9)
        ax.set_xlabel("index")
        ax.set_ylabel("eigenvalue")
        ax.legend(fontsize=7)
    fig.suptitle(f"NTK block spectra at initialisation ({scale} scale; mean = Tr(K_ii)/n_i, the convergence rate)",
                 fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def plot_width_limit(wl: pd.DataFrame, out_pdf, scale: str) -> None:
    """Spread of K(0) over seeds and ΔK after gradient descent, against width."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for (pde, init), d in wl.groupby(["pde", "init"], sort=False):
        label = f"{PDE_LABELS.get(pde, pde)}, {init}"
        spread = d.groupby("width").k0_spread.mean()
        axes[0].loglog(spread.index, spread, "o-", label=label)
        g = d.groupby("width").delta_k_spectral
        axes[1].errorbar(g.mean().index, g.mean(), yerr=g.std().fillna(0), fmt="o-", capsize=2, label=label)
    ref = np.array(sorted(wl.width.unique()), float)
    axes[0].loglog(ref, wl.k0_spread.max() * (ref / ref[0]) ** -0.5, "k:", lw=1, label=r"$\propto m^{-1/2}$")
    axes[0].set_title("spread of K(0) over seeds", fontsize=9)
    axes[1].set_title("ΔK after gradient descent (spectral norm)", fontsize=9)
    axes[1].set_xscale("log")
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xlabel("width m (one hidden layer)")
        ax.legend(fontsize=7)
    fig.suptitle(f"Towards the infinite-width NTK ({scale} scale)", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def ntk_spectra_figures(job) -> None:
    """``ntk_spectra.{pdf,png}`` and ``ntk_width_limit.{pdf,png}``."""
    plot_spectra(pd.read_csv(job.input.eigenvalues), job.output.spectra_pdf, job.wildcards.scale)
    plot_width_limit(pd.read_csv(job.input.width_limit), job.output.limit_pdf, job.wildcards.scale)
