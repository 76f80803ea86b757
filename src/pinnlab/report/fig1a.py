"""Fig. 1a (rule ``fig1a_figure``): how far the NTK moves during Adam training, against width, for every configuration
of the runs (``layout.fig1a_configurations``), and whether each run learned its PDE.

Tables (the claims read them):
- ``fig1a_ntk_drift.csv``: every ΔK curve, tidy — variant, pde, width, seed, step, l2re, block (full | rr | uu),
  points (fixed | resampled), norm (spectral | frobenius), delta_k.
- ``fig1a_runs.csv``: one row per run — its configuration, final L2RE, the trivial baselines of its PDE and
  whether it learned.

**Learned** (issue #13): a run whose final L2RE is at most ``LEARNED_FRACTION`` × the best trivial baseline of its
PDE (``evaluate.trivial_baselines``: u ≡ 0, the time mean, the initial condition copied to every t), the rule and
factor of Table 2 (``pinnlab.report.table2``). A run that did not learn drifts for reasons of its own (collapse to
a trivial field): its ΔK cannot test a claim about training.

Figures: ``fig1a_ntk_drift`` draws the headline configuration (closest to the paper, ``paper.FIG1A_READING``):
ΔK(t) of the full NTK, its L2RE against the baselines, and the final ΔK of K and its blocks against width.
``fig1a_sweep`` draws every configuration: ΔK(t) on fixed and resampled points, and the final L2RE and ΔK against
width for each choice of network, points and norm.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.errors import PinnlabError
from pinnlab.evaluate import load_reference, trivial_baselines
from pinnlab.paper import FIG1A_READING, PDE_LABELS
from pinnlab.report.style import plt, save
from pinnlab.training.artifacts import read_metrics, read_summary

LEARNED_FRACTION = 0.5
"""A run learned iff its final L2RE ≤ this × its PDE's best trivial baseline (Table 2's factor)."""
BASELINES = ("zero", "time_mean", "initial")
BASELINE_LABELS = {"zero": "u ≡ 0", "time_mean": "time mean", "initial": "u(x, 0) for all t"}
DRIFT_PREFIX = "ntk_drift_"
RUN_COLUMNS = ["variant", "depth", "input_normalization", "headline", "pde", "width", "seed", "status", "l2re",
               *(f"baseline_{b}" for b in BASELINES), "baseline_best", "learned"]
DRIFT_COLUMNS = ["variant", "pde", "width", "seed", "step", "l2re", "block", "points", "norm", "delta_k"]


def _run_settings(summary: dict) -> dict:
    settings = summary["config"]["settings"]
    if "variant" not in settings:
        raise PinnlabError(f"the Fig. 1a run of {summary['pde']} w{summary['width']} s{summary['seed']} predates the "
                           "configurations of Fig. 1a (issue #13): delete results/<scale>/fig1a and re-run")
    return settings


def runs_table(summaries, metrics, baselines: dict, headline: str) -> pd.DataFrame:
    """One row per run: its configuration, final L2RE, its PDE's baselines (``pde -> trivial_baselines``) and
    whether it learned (a diverged run did not)."""
    rows = []
    for summary_path, metrics_path in zip(summaries, metrics):
        s = read_summary(summary_path)
        settings = _run_settings(s)
        final = read_metrics(metrics_path, summary_path).dropna(subset=["l2re"])
        l2re = float(final.l2re.iloc[-1]) if len(final) else np.nan
        base = baselines[s["pde"]]
        best = min(base.values())
        rows.append({"variant": settings["variant"], "depth": s["depth"],
                     "input_normalization": settings["network"]["input_normalization"],
                     "headline": settings["variant"] == headline, "pde": s["pde"], "width": s["width"],
                     "seed": s["seed"], "status": s["status"], "l2re": l2re,
                     **{f"baseline_{b}": base[b] for b in BASELINES}, "baseline_best": best,
                     "learned": bool(s["status"] == "ok" and l2re <= LEARNED_FRACTION * best)})
    return pd.DataFrame(rows, columns=RUN_COLUMNS)


def drift_table(summaries, metrics) -> pd.DataFrame:
    """Every ΔK curve of every run, tidy (``DRIFT_COLUMNS``), from the ``ntk_drift_<block>_<points>_<norm>``
    columns of its metrics."""
    frames = []
    for summary_path, metrics_path in zip(summaries, metrics):
        s = read_summary(summary_path)
        m = read_metrics(metrics_path, summary_path)
        cols = [c for c in m.columns if c.startswith(DRIFT_PREFIX)]
        long = m.melt(id_vars=["step", "l2re"], value_vars=cols, var_name="measure", value_name="delta_k")
        parts = long.measure.str.removeprefix(DRIFT_PREFIX).str.split("_", expand=True)
        frames.append(long.assign(variant=_run_settings(s)["variant"], pde=s["pde"], width=s["width"],
                                  seed=s["seed"], block=parts[0], points=parts[1], norm=parts[2]))
    return pd.concat(frames, ignore_index=True)[DRIFT_COLUMNS]


def _width_colors(widths):
    cmap = plt.get_cmap("viridis")
    widths = sorted(widths)
    return {w: cmap(i / max(1, len(widths) - 1)) for i, w in enumerate(widths)}


def _label(pde: str) -> str:
    return PDE_LABELS.get(pde, pde)


def _curve(ax, d, color, label, style="-"):
    """Mean ± std over seeds of ``delta_k`` (log axis: step 0, where ΔK = 0 by definition, is left out)."""
    g = d[d.step > 0].groupby("step").delta_k
    mean, std = g.mean(), g.std().fillna(0)
    ax.plot(mean.index, mean, style, color=color, label=label, lw=1.4)
    ax.fill_between(mean.index, np.maximum(mean - std, mean / 10), mean + std, color=color, alpha=0.15, lw=0)


def _select(tidy, **choice):
    mask = np.ones(len(tidy), bool)
    for key, value in choice.items():
        mask &= tidy[key].to_numpy() == value
    return tidy[mask]


def plot_headline(tidy: pd.DataFrame, runs: pd.DataFrame, out_pdf, scale: str) -> None:
    """Top: ΔK(t) of the full NTK (fixed points, spectral norm), mean ± std over seeds, one curve per width (dashed
    where a seed did not learn). Middle: L2RE(t) against the best trivial baseline and the learned line. Bottom: ΔK
    at the last step against width for K, K_rr and K_uu (hollow markers: not every seed learned)."""
    head = runs[runs.headline]
    variant = head.variant.iloc[0]
    tidy = tidy[tidy.variant == variant]
    pdes = list(dict.fromkeys(head.pde))
    colors = _width_colors(head.width.unique())
    learned = head.groupby(["pde", "width"]).learned.all()
    fig, axes = plt.subplots(3, len(pdes), figsize=(3.4 * len(pdes), 9), squeeze=False)
    for j, pde in enumerate(pdes):
        d = _select(tidy, pde=pde, **FIG1A_READING)
        for w in sorted(head[head.pde == pde].width.unique()):
            ok = learned[pde, w]
            _curve(axes[0, j], d[d.width == w], colors[w], f"m = {w}" + ("" if ok else " (not learned)"),
                   "-" if ok else "--")
            errors = d[d.width == w].groupby("step").l2re.mean()
            axes[1, j].plot(errors.index, errors, "-" if ok else "--", color=colors[w], lw=1.4)
        base = head[head.pde == pde].iloc[0]
        axes[1, j].axhline(base.baseline_best, color="k", ls=":", lw=1, label="best trivial baseline")
        axes[1, j].axhline(LEARNED_FRACTION * base.baseline_best, color="0.5", ls="-.", lw=1, label="learned below")
        last = _select(tidy[tidy.pde == pde], points=FIG1A_READING["points"], norm=FIG1A_READING["norm"])
        last = last[last.step == last.groupby(["width", "seed"]).step.transform("max")]
        for block, marker in (("full", "o"), ("rr", "s"), ("uu", "^")):
            g = last[last.block == block].groupby("width").delta_k
            mean, std = g.mean(), g.std().fillna(0)
            line = axes[2, j].errorbar(mean.index, mean, yerr=std, fmt="-", capsize=2,
                                       label={"full": "K", "rr": "K_rr", "uu": "K_uu"}[block])
            ok = np.array([learned[pde, w] for w in mean.index])
            for sel, face in ((ok, None), (~ok, "white")):
                axes[2, j].plot(mean.index[sel], mean[sel], marker, ms=6, mfc=face, color=line[0].get_color())
        axes[0, j].set_title(_label(pde))
        for i, ax in enumerate(axes[:, j]):
            ax.set_yscale("log")
            ax.set_xlabel("iteration" if i < 2 else "width m")
        axes[2, j].set_xscale("log")
    axes[0, 0].set_ylabel("ΔK(t) of K, spectral norm")
    axes[1, 0].set_ylabel("L2RE")
    axes[2, 0].set_ylabel("ΔK at the last step (hollow: not learned)")
    for i in range(3):
        axes[i, 0].legend(fontsize=7)
    fig.suptitle(f"Fig. 1a ({scale} scale): relative change of the NTK during Adam training, network {variant} "
                 "(closest to the paper); mean ± std over seeds", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title
    save(fig, out_pdf)


def plot_sweep(tidy: pd.DataFrame, runs: pd.DataFrame, out_pdf, scale: str) -> None:
    """One row per configuration of the network: ΔK(t) of K (spectral) on fixed (solid) and resampled (dashed)
    points. Then the final L2RE against width per configuration, and the final ΔK of K against width for every
    (network, points, norm)."""
    variants = list(dict.fromkeys(runs.sort_values("headline", ascending=False).variant))
    pdes = list(dict.fromkeys(runs.pde))
    colors = _width_colors(runs.width.unique())
    variant_colors = {v: plt.get_cmap("tab10")(i) for i, v in enumerate(variants)}
    fig, axes = plt.subplots(len(variants) + 2, len(pdes), figsize=(3.4 * len(pdes), 2.8 * (len(variants) + 2)),
                             squeeze=False)
    learned = runs.groupby(["variant", "pde", "width"]).learned.all()
    for i, variant in enumerate(variants):
        for j, pde in enumerate(pdes):
            ax = axes[i, j]
            d = _select(tidy, variant=variant, pde=pde, block="full", norm="spectral")
            for w in sorted(d.width.unique()):
                for points, style in (("fixed", "-"), ("resampled", "--")):
                    _curve(ax, d[(d.width == w) & (d.points == points)], colors[w],
                           f"m = {w}" if points == "fixed" else None, style)
            ax.set_title(f"{_label(pde)}, {variant}" + (" (headline)" if i == 0 else ""), fontsize=9)
            if d.empty:
                ax.text(0.5, 0.5, "not run", ha="center", va="center", transform=ax.transAxes, color="0.5")
                continue
            ax.set_yscale("log")
            if not axes[i, 0].get_legend() and not any(a.get_legend() for a in axes[i, :j]):
                ax.legend(fontsize=6, title="solid fixed, dashed resampled", title_fontsize=6)
        axes[i, 0].set_ylabel("ΔK(t) of K, spectral")
    final = tidy[tidy.step == tidy.groupby(["variant", "pde", "width", "seed"]).step.transform("max")]
    for j, pde in enumerate(pdes):
        ax = axes[-2, j]
        r = runs[runs.pde == pde]
        for variant in variants:
            g = r[r.variant == variant].groupby("width").l2re
            ax.errorbar(g.mean().index, g.mean(), yerr=g.std().fillna(0), fmt="o-", ms=4, capsize=2,
                        color=variant_colors[variant], label=variant)
        if len(r):
            ax.axhline(LEARNED_FRACTION * r.baseline_best.iloc[0], color="0.5", ls="-.", lw=1, label="learned below")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("width m")
        ax.set_ylabel("final L2RE") if j == 0 else None
        ax = axes[-1, j]
        for variant in variants:
            for (points, norm), (style, marker) in {("fixed", "spectral"): ("-", "o"),
                                                    ("fixed", "frobenius"): ("-", "s"),
                                                    ("resampled", "spectral"): ("--", "o"),
                                                    ("resampled", "frobenius"): ("--", "s")}.items():
                g = _select(final, variant=variant, pde=pde, block="full", points=points, norm=norm)
                g = g.groupby("width").delta_k.mean()
                if len(g):
                    ax.plot(g.index, g, style, marker=marker, ms=4, color=variant_colors[variant],
                            mfc="white" if not all(learned.get((variant, pde, w), False) for w in g.index) else None,
                            label=f"{variant}, {points}, {norm}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("width m")
        ax.set_ylabel("final ΔK of K") if j == 0 else None
    for row, title in ((-2, None), (-1, "hollow: a width not learned")):
        handles = {label: h for ax in axes[row] for h, label in zip(*ax.get_legend_handles_labels())}
        axes[row, 0].legend(handles.values(), handles.keys(), fontsize=5, title=title, title_fontsize=6)
    fig.suptitle(f"Fig. 1a sweep ({scale} scale): each configuration's ΔK and errors (the claims report gives the "
                 "verdict under each)", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title
    save(fig, out_pdf)


def reference_baselines(reference_paths) -> dict[str, dict[str, float]]:
    """PDE -> the L2RE of each trivial field (a reference file is named after its PDE, ``layout.reference``)."""
    return {Path(p).stem: trivial_baselines(load_reference(p)) for p in reference_paths}


def fig1a_figure(job) -> None:
    """``fig1a_ntk_drift.{csv,pdf,png}``, ``fig1a_runs.csv`` and ``fig1a_sweep.{pdf,png}``."""
    tidy = drift_table(job.input.summaries, job.input.metrics)
    runs = runs_table(job.input.summaries, job.input.metrics, reference_baselines(job.input.references),
                      job.params.headline)
    if not runs.headline.any():
        raise PinnlabError(f"no runs of the headline configuration {job.params.headline!r} among the inputs")
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    tidy.to_csv(job.output.csv, index=False)
    runs.to_csv(job.output.runs, index=False)
    plot_headline(tidy, runs, Path(job.output.pdf), job.wildcards.scale)
    plot_sweep(tidy, runs, Path(job.output.sweep_pdf), job.wildcards.scale)
