"""Figure ``newton_failure`` and table ``newton_outcomes`` (rule ``newton_figure``): loss of exact Newton vs damped
Newton, Gauss–Newton and L-BFGS, the final loss of every run beside the trivial loss, and where each run ended,
from the tables of ``newton_study`` (whose order of methods and outcomes they keep)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.report.style import METHOD_COLORS, band, plt, save

LABELS = {"newton": "Newton (exact H)", "damped_newton": "damped Newton", "gauss_newton": "Gauss–Newton (LM)",
          "lbfgs": "L-BFGS"}
# the classes of pinnlab.experiments.newton.OUTCOMES, in that order
OUTCOME_COLORS = {"minimum": "#2ca02c", "trivial solution": "#9467bd", "non-minimising stationary point": "#ff7f0e",
                  "saddle": "#d62728", "not converged": "#bcbd22", "diverged": "#7f7f7f"}
TRIVIAL = "trivial loss (affine)"
CLASSES = ("minimum: final loss below `minimum below` (a fixed fraction of the trivial loss); trivial solution: "
           "residuals those of the best constant or affine function; non-minimising stationary point / saddle: "
           "‖∇L‖ ≈ 0 above the minimum threshold, with λ_min(∇²L) ≥ 0 / < 0; diverged: non-finite, loss grown "
           "diverge_factor-fold, or a non-finite Newton step elsewhere (pinnlab.experiments.newton.classify)")


def _final_losses(ax, runs: pd.DataFrame, methods: list[str], trivial: float, threshold: float) -> None:
    """One dot per run at its final loss (colour: outcome), the trivial loss and the minimum threshold."""
    for i, method in enumerate(methods):
        r = runs[(runs.method == method) & np.isfinite(runs.final_loss)]
        jitter = np.linspace(-0.25, 0.25, len(r)) if len(r) > 1 else np.zeros(len(r))
        ax.scatter(i + jitter, r.final_loss, s=14, c=[OUTCOME_COLORS[o] for o in r.outcome], zorder=3)
    ax.axhline(trivial, color="0.3", ls="--", lw=1, zorder=1, label="trivial loss (best affine function)")
    ax.axhline(threshold, color="0.3", ls=":", lw=1, zorder=1, label="minimum below")
    ax.set_xticks(range(len(methods)), [LABELS[m] for m in methods], rotation=20, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("final training loss")
    ax.set_title("final loss of each run (colour: outcome)")
    ax.legend(fontsize=7, loc="best")


def plot_newton_failure(runs: pd.DataFrame, traces: pd.DataFrame, outcomes: pd.DataFrame, out_pdf,
                        caption: str = "") -> None:
    problems = list(dict.fromkeys(runs.problem))
    methods = list(dict.fromkeys(runs.method))
    kinds = [c for c in outcomes.columns if c in OUTCOME_COLORS]
    fig, axes = plt.subplots(len(problems), 3, figsize=(15, 3.6 * len(problems)), squeeze=False,
                             gridspec_kw={"width_ratios": [1.5, 1.1, 1]})
    for row, problem in enumerate(problems):
        counts = outcomes[outcomes.problem == problem].set_index("method").reindex(methods)
        trivial = float(counts[TRIVIAL].iloc[0])
        ax = axes[row, 0]
        for method in methods:
            t = traces[(traces.problem == problem) & (traces.method == method)]
            curves = t.pivot(index="seed", columns="iteration", values="loss").to_numpy()
            band(ax, np.arange(curves.shape[1]), np.where(np.isfinite(curves), curves, np.nan),
                 METHOD_COLORS[method], LABELS[method])
        ax.axhline(trivial, color="0.3", ls="--", lw=1, zorder=1, label="trivial loss")
        ax.set_yscale("log")
        ax.set_xlabel("iteration")
        ax.set_ylabel("training loss")
        ax.set_title(f"{problem}: median and quartiles over seeds")
        ax.legend(fontsize=8)
        _final_losses(axes[row, 1], runs[runs.problem == problem], methods, trivial,
                      float(counts["minimum below"].iloc[0]))
        ax = axes[row, 2]
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
                          + outcomes.to_markdown(index=False, floatfmt=".3g")
                          + f"\n\nRuns (seeds) per outcome; losses are medians over seeds. Classes — {CLASSES}.\n")
