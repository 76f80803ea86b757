"""Klein–Gordon figures: annealed weights, fields, loss groups and per-layer gradient distributions.

Drawn from the tidy training curves (``kleingordon_curves.csv``: per model, seed and logged step the L2RE, the
unweighted loss of the residual and of each condition group, the group weights) and the analysis's arrays.
"""

from __future__ import annotations

from itertools import cycle

import numpy as np
import pandas as pd

from pinnlab.report.style import plt, save

MODEL_COLORS = {"M1": "#7f7f7f", "M2": "#d62728", "M3": "#1f77b4", "M4": "#9467bd"}
GROUP_COLORS = {"res": "#1f77b4", "ics": "#2ca02c", "bcs": "#d62728"}
GROUP_LABELS = {"res": r"$\nabla_W \mathcal{L}_r$", "ics": r"$\nabla_W \lambda_{ics}\mathcal{L}_{ics}$",
                "bcs": r"$\nabla_W \lambda_{bcs}\mathcal{L}_{bcs}$"}
GROUP_TITLES = {"res": r"$\mathcal{L}_r$", "ics": r"$\mathcal{L}_{ics}$ (u and $u_t$ at t = 0)",
                "bcs": r"$\mathcal{L}_{bcs}$ (x = 0 and x = 1)"}
# Ten dash patterns (more seeds cycle them: the figures' titles give the seed count)
SEED_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (6, 2, 1, 2)),
               (0, (3, 1, 3, 4)), (0, (10, 2, 2, 2, 2, 2)))


def _groups(curves: pd.DataFrame) -> list[str]:
    """The condition groups of the curves (columns ``weight_<group>``)."""
    return [c.removeprefix("weight_") for c in curves.columns if c.startswith("weight_")]


def weights_figure(curves: pd.DataFrame, annealed: list[str], out_pdf, caption: str) -> None:
    """λ of each condition group vs iteration for the ``annealed`` models (one line per seed)."""
    fig, axes = plt.subplots(1, max(1, len(annealed)), figsize=(5.2 * max(1, len(annealed)), 3.6), squeeze=False)
    for ax, model in zip(axes[0], annealed):
        runs = curves[curves.model == model].groupby("seed", sort=False)
        for k, ((_, m), style) in enumerate(zip(runs, cycle(SEED_STYLES))):
            for g in _groups(curves):  # the legend names the groups; the line styles tell the seeds apart
                ax.plot(m.step, m[f"weight_{g}"], linestyle=style, color=GROUP_COLORS[g], lw=1.0, alpha=0.8,
                        label=rf"$\lambda_{{{g}}}$" if k == 0 else None)
        ax.set(title=f"{model}: annealed weights ({runs.ngroups} seeds, one line each)", xlabel="iteration",
               ylabel=r"$\lambda$", yscale="log")
        ax.legend(fontsize=8, loc="lower right")
    if not annealed:
        axes[0, 0].text(0.5, 0.5, "no annealed model (M2, M4) at this scale", ha="center", va="center")
    fig.suptitle(f"Klein–Gordon learning-rate annealing ({caption})", fontsize=10)
    save(fig, out_pdf)


def fields_figure(fields: dict, out_pdf, caption: str) -> None:
    """Exact, predicted and |error| on the evaluation grid, one row per model (M1 and M2 first)."""
    models = [m for m in ("M1", "M2", "M3", "M4") if m in fields]
    fig, axes = plt.subplots(len(models), 3, figsize=(11, 2.9 * len(models)), squeeze=False)
    for row, model in zip(axes, models):
        f = fields[model]
        extent = (f["t"][0], f["t"][-1], f["x"][0], f["x"][-1])
        vmin, vmax = f["exact"].min(), f["exact"].max()
        err = np.abs(f["pred"] - f["exact"])
        l2 = np.linalg.norm(f["pred"] - f["exact"]) / np.linalg.norm(f["exact"])
        for ax, data, title, kw in zip(row, (f["exact"], f["pred"], err),
                                       ("exact u", f"{model}: predicted u", f"{model}: |error| (L2RE {l2:.2e})"),
                                       ({"vmin": vmin, "vmax": vmax, "cmap": "RdBu_r"},
                                        {"vmin": vmin, "vmax": vmax, "cmap": "RdBu_r"}, {"cmap": "magma"})):
            im = ax.imshow(data, origin="lower", aspect="auto", extent=extent, **kw)
            ax.set(title=title, xlabel="t", ylabel="x")
            ax.grid(False)
            fig.colorbar(im, ax=ax, fraction=0.046)
    fig.suptitle(f"Klein–Gordon fields ({caption})", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def losses_figure(curves: pd.DataFrame, out_pdf, caption: str) -> None:
    """Each unweighted loss group vs iteration, M1 against M2 (and M3, M4 thin), seeds as line styles."""
    groups = ["res", *_groups(curves)]
    fig, axes = plt.subplots(1, len(groups), figsize=(13, 3.6), sharex=True)
    for ax, g in zip(axes, groups):
        for model, runs in curves.groupby("model", sort=False):
            for k, ((_, m), style) in enumerate(zip(runs.groupby("seed", sort=False), cycle(SEED_STYLES))):
                ax.plot(m.step, m[f"loss_{g}"], linestyle=style, color=MODEL_COLORS[model], alpha=0.8,
                        lw=1.2 if model in ("M1", "M2") else 0.7, label=model if k == 0 else None)
        ax.set(title=GROUP_TITLES.get(g, g), xlabel="iteration", yscale="log")
    axes[0].set_ylabel("loss (unweighted, on the step's batch)")
    axes[-1].legend(fontsize=8, loc="upper right")
    fig.suptitle(f"Klein–Gordon loss terms ({caption}; {curves.seed.nunique()} seeds, one line each)", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def gradients_figure(gradients: dict, out_pdf, caption: str) -> None:
    """Per-layer distributions of log10 |gradient| of each loss group at the end of training (rows: models).

    On a log axis the pathology reads at a glance: the residual's gradients sit orders of magnitude above the
    conditions' in M1, and annealing moves the weighted condition gradients up to them."""
    models = list(gradients)
    groups = list(gradients[models[0]])
    layers = len(gradients[models[0]]["res"])
    fig, axes = plt.subplots(len(models), layers, figsize=(2.3 * layers, 2.0 * len(models)), squeeze=False,
                             sharex=True)
    logs = {m: {g: [np.log10(np.abs(v) + 1e-30) for v in per_layer] for g, per_layer in grads.items()}
            for m, grads in gradients.items()}
    everything = np.concatenate([v for per_model in logs.values() for per_layer in per_model.values()
                                 for v in per_layer])
    lo, hi = np.percentile(everything, [0.5, 100])
    bins = np.linspace(np.floor(lo), np.ceil(hi), 60)
    for row, model in zip(axes, models):
        for layer, ax in enumerate(row):
            for g in groups:
                ax.hist(logs[model][g][layer], bins=bins, density=True, histtype="step", color=GROUP_COLORS[g],
                        lw=1.2, label=GROUP_LABELS[g])
            ax.set_title(f"{model}, layer {layer + 1}", fontsize=9)
            ax.tick_params(labelsize=7)
            ax.set_yticks([])
        row[0].set_ylabel("density", fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel(r"$\log_{10}|\partial \mathcal{L}/\partial W|$", fontsize=8)
    axes[0, -1].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"Klein–Gordon gradients per weight matrix at the end of training ({caption})", fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)
