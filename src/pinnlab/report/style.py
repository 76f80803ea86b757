"""Shared look of the figures: readable at a glance, PDF for papers and PNG for the README/report."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHOD_COLORS = {"newton": "#d62728", "damped_newton": "#ff7f0e", "gauss_newton": "#2ca02c", "lbfgs": "#1f77b4",
                 "adam": "#7f7f7f", "adam_lbfgs": "#1f77b4", "gdnd": "#9467bd",
                 "fixed": "#d62728", "eisenstat_walker": "#2ca02c"}

plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 160, "axes.grid": True, "grid.alpha": 0.3,
                     "axes.spines.top": False, "axes.spines.right": False, "font.size": 10,
                     "legend.frameon": False})


def save(fig, pdf_path: Path | str) -> None:
    """Write ``<name>.pdf`` and ``<name>.png`` side by side."""
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(pdf_path.with_suffix(".pdf"), bbox_inches="tight")
    fig.savefig(pdf_path.with_suffix(".png"), bbox_inches="tight")
    plt.close(fig)


def band(ax, x, values, color, label):
    """Median line and interquartile band of ``values`` (runs × points)."""
    import numpy as np

    q25, q50, q75 = np.nanpercentile(values, [25, 50, 75], axis=0)
    ax.plot(x, q50, color=color, label=label, lw=1.6)
    ax.fill_between(x, q25, q75, color=color, alpha=0.2, lw=0)
