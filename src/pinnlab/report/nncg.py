"""Figure and table ``nncg_time_to_loss`` (rule ``nncg_figure``): loss against wall time and iterations, faithful
vs inexact NNCG, from the tables of ``nncg_comparison``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.report.style import plt, save

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


def nncg_figure(job) -> None:
    """``nncg_time_to_loss.{pdf,png,md}``."""
    summary = pd.read_csv(job.input.summary)
    title = f"NNCG on {summary.pde.iloc[0]} from the same Adam+L-BFGS state ({job.wildcards.scale} scale)"
    plot_time_to_loss(pd.read_csv(job.input.traces), summary, job.output.pdf, title)
    Path(job.output.md).write_text(f"# {title}\n\n" + summary.to_markdown(index=False, floatfmt=".3g") + "\n")
