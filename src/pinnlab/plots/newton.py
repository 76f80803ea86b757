"""Figure ``newton_failure``: loss of exact Newton vs damped Newton, Gauss–Newton and L-BFGS, and outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pinnlab.newton_study import METHODS, OUTCOMES
from pinnlab.plots.style import METHOD_COLORS, band, plt, save

LABELS = {"newton": "Newton (exact H)", "damped_newton": "damped Newton", "gauss_newton": "Gauss–Newton (LM)",
          "lbfgs": "L-BFGS"}
OUTCOME_COLORS = {"minimum": "#2ca02c", "saddle": "#d62728", "not converged": "#bcbd22", "diverged": "#7f7f7f"}


def plot_newton_failure(runs: pd.DataFrame, traces: pd.DataFrame, out_pdf, caption: str = "") -> None:
    problems = list(dict.fromkeys(runs.problem))
    fig, axes = plt.subplots(len(problems), 2, figsize=(10, 3.3 * len(problems)), squeeze=False,
                             gridspec_kw={"width_ratios": [1.6, 1]})
    for row, problem in enumerate(problems):
        ax = axes[row, 0]
        for method in METHODS:
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
        r = runs[runs.problem == problem]
        counts = r.groupby(["method", "outcome"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=list(METHODS), columns=list(OUTCOMES), fill_value=0)
        left = np.zeros(len(METHODS))
        for outcome in OUTCOMES:
            ax.barh([LABELS[m] for m in METHODS], counts[outcome], left=left, color=OUTCOME_COLORS[outcome],
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
