"""Figure ``newton_failure`` and table ``newton_outcomes`` (rule ``newton_figure``): loss of exact Newton vs damped
Newton, Gauss–Newton and L-BFGS, and where each run ended, from the tables of ``newton_study`` (whose order of
methods and outcomes they keep)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.report.style import METHOD_COLORS, band, plt, save

LABELS = {"newton": "Newton (exact H)", "damped_newton": "damped Newton", "gauss_newton": "Gauss–Newton (LM)",
          "lbfgs": "L-BFGS"}
OUTCOME_COLORS = {"minimum": "#2ca02c", "saddle": "#d62728", "not converged": "#bcbd22", "diverged": "#7f7f7f"}


def plot_newton_failure(runs: pd.DataFrame, traces: pd.DataFrame, outcomes: pd.DataFrame, out_pdf,
                        caption: str = "") -> None:
    problems = list(dict.fromkeys(runs.problem))
    methods = list(dict.fromkeys(runs.method))
    kinds = [c for c in outcomes.columns if c in OUTCOME_COLORS]
    fig, axes = plt.subplots(len(problems), 2, figsize=(10, 3.3 * len(problems)), squeeze=False,
                             gridspec_kw={"width_ratios": [1.6, 1]})
    for row, problem in enumerate(problems):
        ax = axes[row, 0]
        for method in methods:
            t = traces[(traces.problem == problem) & (traces.method == method)]
            curves = t.pivot(index="seed", columns="iteration", values="loss").to_numpy()
            band(ax, np.arange(curves.shape[1]), np.where(np.isfinite(curves), curves, np.nan),
                 METHOD_COLORS[method], LABELS[method])
        ax.set_yscale("log")
        ax.set_xlabel("iteration")
        ax.set_ylabel("training loss")
        ax.set_title(f"{problem}: median and quartiles over seeds")
        ax.legend(fontsize=8)
        ax = axes[row, 1]
        counts = outcomes[outcomes.problem == problem].set_index("method").reindex(methods)
        left = np.zeros(len(methods))
        for outcome in kinds:
            ax.barh([LABELS[m] for m in methods], counts[outcome], left=left, color=OUTCOME_COLORS[outcome],
                    label=outcome)
            left += counts[outcome].to_numpy()
        ax.invert_yaxis()
        ax.set_xlabel("runs (seeds)")
        ax.set_title("where each run ended")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
        ax.grid(False)
    if caption:
        fig.suptitle(caption, fontsize=9, y=1.0)
    fig.tight_layout()
    save(fig, out_pdf)


def newton_figure(job) -> None:
    """``newton_failure.{pdf,png}`` and ``newton_outcomes.{csv,md}``."""
    i, o, scale = job.input, job.output, job.wildcards.scale
    runs, traces, outcomes = pd.read_csv(i.runs), pd.read_csv(i.traces), pd.read_csv(i.outcomes)
    plot_newton_failure(runs, traces, outcomes, o.pdf,
                        caption=f"Exact Newton vs damped Newton, Gauss–Newton, L-BFGS ({scale} scale)")
    outcomes.to_csv(o.csv, index=False)
    Path(o.md).write_text(f"# Exact-Newton study ({scale} scale): outcomes per method\n\n"
                          + outcomes.to_markdown(index=False, floatfmt=".3g") + "\n")
