"""Figure and table ``nncg_time_to_loss`` (rule ``nncg_figure``): loss against wall time and iterations, faithful
vs inexact NNCG, one row of panels per PDE, and the table of the same-budget comparison, from the tables of
``nncg_comparison``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.report.style import plt, save

COLORS = {"faithful": "#d62728", "inexact": "#2ca02c"}
TABLE_COLUMNS = ["pde", "setting", "iterations", "mean_cg_iterations", "seconds_per_iteration", "loss_at_faithful_time",
                 "l2re_at_faithful_time", "loss_at_faithful_iterations", "l2re_at_faithful_iterations", "final_loss",
                 "final_l2re", "seconds_to_target", "speedup_vs_faithful"]


def plot_time_to_loss(traces: pd.DataFrame, summary: pd.DataFrame, out_pdf, title: str) -> None:
    pdes = list(dict.fromkeys(summary.pde))
    fig, axes = plt.subplots(len(pdes), 2, figsize=(10, 3.2 * len(pdes)), squeeze=False)
    for row_axes, pde in zip(axes, pdes):
        mine, table = traces[traces.pde == pde], summary[summary.pde == pde].set_index("setting")
        target = float(table.target_loss.iloc[0])
        for setting, t in mine.groupby("setting", sort=False):
            row = table.loc[setting]
            label = f"{setting} ({row.mean_cg_iterations:.0f} CG its/iter, {row.seconds_per_iteration:.2f} s/iter)"
            row_axes[0].plot(t.wall_time_s, t.loss, marker=".", color=COLORS.get(setting), label=label)
            row_axes[1].plot(t.iteration, t.loss, marker=".", color=COLORS.get(setting), label=setting)
        for ax, xlabel in zip(row_axes, ("wall time after compilation [s]", "NNCG iteration")):
            ax.axhline(target, color="k", lw=0.8, ls="--")
            ax.set_yscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel(f"{pde}: training loss")
        row_axes[0].legend(fontsize=8)
        row_axes[1].set_title("dashed: the faithful setting's final loss", fontsize=9)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save(fig, out_pdf)


def nncg_figure(job) -> None:
    """``nncg_time_to_loss.{pdf,png,md}``."""
    summary = pd.read_csv(job.input.summary)
    title = (f"NNCG faithful vs inexact from the same Adam+L-BFGS state, {', '.join(dict.fromkeys(summary.pde))} "
             f"({job.wildcards.scale} scale)")
    plot_time_to_loss(pd.read_csv(job.input.traces), summary, job.output.pdf, title)
    note = ("Each setting's loss and L2RE after the faithful run's budget (its wall time; its iteration count), at "
            "its own end, and the seconds it needs to reach the faithful setting's final loss (speed-up: faithful's "
            "seconds over its own).")
    Path(job.output.md).write_text(f"# {title}\n\n{note}\n\n"
                                   + summary[TABLE_COLUMNS].to_markdown(index=False, floatfmt=".3g") + "\n")
