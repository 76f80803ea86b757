"""Figure ``nncg_time_to_loss``: loss against wall time and iterations, faithful vs inexact NNCG."""

from __future__ import annotations

import pandas as pd

from pinnlab.plots.style import plt, save

COLORS = {"faithful": "#d62728", "inexact": "#2ca02c"}


def plot_time_to_loss(traces: pd.DataFrame, summary: pd.DataFrame, out_pdf, title: str) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    target = float(summary.target_loss.iloc[0])
    for setting, t in traces.groupby("setting", sort=False):
        row = summary.set_index("setting").loc[setting]
        label = f"{setting} ({row.mean_cg_iterations:.0f} CG its/iter, {row.seconds_per_iteration:.2f} s/iter)"
        axes[0].plot(t.wall_time_s, t.loss, marker=".", color=COLORS.get(setting), label=label)
        axes[1].plot(t.iteration, t.loss, marker=".", color=COLORS.get(setting), label=setting)
    for ax, xlabel in zip(axes, ("wall time after compilation [s]", "NNCG iteration")):
        ax.axhline(target, color="k", lw=0.8, ls="--")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("training loss")
    axes[0].legend(fontsize=8)
    axes[0].set_title(title, fontsize=9)
    axes[1].set_title("dashed: the faithful setting's final loss", fontsize=9)
    fig.tight_layout()
    save(fig, out_pdf)
