"""NTK figures: Fig. 1a (ΔK during training vs width), block spectra, and the infinite-width limit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pinnlab.paper import PDE_LABELS
from pinnlab.plots.style import plt, save


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
