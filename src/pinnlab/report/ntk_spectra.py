"""The NTK spectra and width-limit figures (rule ``ntk_spectra_figures``), from the tables of ``ntk_spectra``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from pinnlab.catalog import INPUT_NORMALIZATIONS as INPUTS
from pinnlab.paper import PDE_LABELS
from pinnlab.report.style import plt, save

# The kernels are float32 products J Jᵀ: eigenvalues below this fraction of a panel's largest are rounding.
ROUNDING_FLOOR = 1e-7


def plot_spectra(eig: pd.DataFrame, out_pdf, scale: str) -> None:
    """One row per PDE: the eigenvalues of each diagonal NTK block at initialisation, one panel per setup (median
    over seeds, min–max band), then the ratio of the residual block's trace (and λ_max) to each condition block's,
    one point per seed and setup side by side."""
    pdes, setups = list(eig.pde.unique()), list(eig.setup.unique())
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colors = {block: cycle[i % len(cycle)] for i, block in enumerate(eig.block.unique())}
    fig, axes = plt.subplots(len(pdes), len(setups) + 1, figsize=(3.5 * (len(setups) + 1), 3.3 * len(pdes)),
                             squeeze=False)
    for row, pde in zip(axes, pdes):
        d_pde = eig[eig.pde == pde]
        for ax, setup in zip(row, setups):
            d = d_pde[d_pde.setup == setup]
            floor = ROUNDING_FLOOR * d.eigenvalue.max()
            for block, b in d.groupby("block", sort=False):
                values = b.pivot(index="index", columns="seed", values="eigenvalue").where(lambda v: v > floor)
                rank = values.index + 1
                ax.plot(rank, values.median(axis=1), ".-", ms=3, color=colors[block],
                        label=f"K_{block}  Tr {b.groupby('seed').trace.first().median():.3g}")
                ax.fill_between(rank, values.min(axis=1), values.max(axis=1), color=colors[block], alpha=0.2, lw=0)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
            first = d.iloc[0]
            ax.set_title(f"{PDE_LABELS.get(pde, pde)}: {setup}\n({first.init}, {INPUTS[first.input_normalization]}, "
                         f"width {first.width}, {d.seed.nunique()} seeds)", fontsize=8)
            ax.set_xlabel("index")
            ax.set_ylabel("eigenvalue")
            ax.legend(fontsize=7)
        plot_ratios(row[-1], d_pde, setups, colors)
    fig.suptitle(f"NTK block spectra at initialisation ({scale} scale): median over seeds, min–max band, "
                 f"eigenvalues above {ROUNDING_FLOOR:g} × the largest; Tr = trace (median), what Algorithm 1 weighs by",
                 fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def plot_ratios(ax, d: pd.DataFrame, setups: list, colors: dict) -> None:
    """Tr(K_rr)/Tr(K_ii) (filled) and λ_max(K_rr)/λ_max(K_ii) (open) per condition block i, per seed and setup."""
    per = d.groupby(["setup", "seed", "block"]).agg(trace=("trace", "first"), top=("eigenvalue", "max"))
    points = d.groupby("block").n_points.first()  # traces grow with the point count: the legend says it
    conditions = [b for b in d.block.unique() if b != "res"]
    offsets = np.linspace(-0.25, 0.25, len(conditions)) if len(conditions) > 1 else [0.0]
    for block, dx in zip(conditions, offsets):
        for x, setup in enumerate(setups):
            p = per.loc[setup].unstack("block")
            ax.plot(np.full(len(p), x + dx), p.trace["res"] / p.trace[block], "o", color=colors[block], ms=4,
                    label=f"Tr(K_res)/Tr(K_{block}), {points['res']}:{points[block]} points" if x == 0 else None)
            ax.plot(np.full(len(p), x + dx), p.top["res"] / p.top[block], "o", mfc="none", color=colors[block], ms=7,
                    label=f"λ_max ratio, {block}" if x == 0 else None)
    ax.axhline(1.0, color="k", lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xticks(range(len(setups)), setups, fontsize=7, rotation=15)
    ax.set_xlim(-0.6, len(setups) - 0.4)
    ax.set_ylabel("K_res / condition block")
    ax.set_title("residual vs conditions at initialisation, per seed", fontsize=8)
    ax.legend(fontsize=6)


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
