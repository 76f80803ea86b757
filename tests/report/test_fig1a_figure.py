"""Rule ``fig1a_figure``'s job without Snakemake, on synthetic runs in the format ``train_fig1a`` writes: the tidy ΔK
curves hold every run's metrics, each run is marked learned against the trivial baselines of its reference, and the
headline and sweep figures are drawn."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.diagnostics.ntk import DRIFT_BLOCKS, DRIFT_NORMS, DRIFT_POINTS, drift_column
from pinnlab.integrity import sha256
from pinnlab.job import make_job
from pinnlab.reference.build import save_reference

SCALE = "smoke"
VARIANTS = {"d1-standardize": (1, "standardize"), "d3-none": (3, "none")}  # the first is the headline
PDES = ("convection", "burgers")
WIDTHS = (8, 32)
SEEDS = (0, 1)
STEPS = (0, 10, 20)
DRIFT = [drift_column(b, p, n) for b in DRIFT_BLOCKS for p in DRIFT_POINTS for n in DRIFT_NORMS]
X, T = np.linspace(1.0, 2.0, 5), np.linspace(0.0, 1.0, 4)
U = X[:, None] * (1 + T[None, :])  # the synthetic reference u = x (1 + t), time the last axis


def best_baseline() -> float:
    """The smallest L2RE of u ≡ 0, the time mean and the initial condition copied to every t, for ``U``."""
    err = [np.linalg.norm(f - U) / np.linalg.norm(U) for f in
           (np.zeros_like(U), np.broadcast_to(U.mean(1, keepdims=True), U.shape), np.broadcast_to(U[:, :1], U.shape))]
    return min(err)


def drift_value(variant, pde, width, seed, step, measure):
    return step * (DRIFT.index(measure) + 1) / width * (1 + 0.1 * seed) * (1 + PDES.index(pde)) * (
        1 + list(VARIANTS).index(variant))


def final_l2re(variant, pde, width, seed):
    """Learned (a tenth of the best baseline) except at width 8, seed 1 (twice the learned line)."""
    return best_baseline() * (1.0 if (width, seed) == (8, 1) else 0.1)


def fig1a_inputs(folder: Path) -> dict:
    """Summaries, metrics and references of a Fig. 1a at every (variant, pde, width, seed)."""
    summaries, metrics, references = [], [], []
    for pde in PDES:
        path = folder / "reference" / f"{pde}.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_reference(path, (X, T), U, {"pde": pde})
        references.append(str(path))
    for variant, (depth, scaling) in VARIANTS.items():
        for pde in PDES:
            for width in WIDTHS:
                for seed in SEEDS:
                    run = folder / variant / pde / f"w{width}" / f"s{seed}"
                    run.mkdir(parents=True)
                    settings = {"variant": variant, "network": {"depth": depth, "width": width,
                                                                "input_normalization": scaling}}
                    l2re = [1.0, 0.5, final_l2re(variant, pde, width, seed)]
                    pd.DataFrame({"step": STEPS, "phase": "adam", "loss": [1.0, 0.5, 0.25], "l2re": l2re,
                                  **{m: [drift_value(variant, pde, width, seed, s, m) for s in STEPS] for m in DRIFT}}
                                 ).to_csv(run / "metrics.csv", index=False)
                    (run / "summary.json").write_text(json.dumps(
                        {"status": "ok", "pde": pde, "method": "adam", "width": width, "depth": depth, "seed": seed,
                         "config": {"settings": settings}, "sha256": {"metrics.csv": sha256(run / "metrics.csv")}}))
                    summaries.append(str(run / "summary.json"))
                    metrics.append(str(run / "metrics.csv"))
    return {"summaries": summaries, "metrics": metrics, "references": references}


def outputs(folder: Path) -> dict:
    names = {"csv": "fig1a_ntk_drift.csv", "runs": "fig1a_runs.csv", "pdf": "fig1a_ntk_drift.pdf",
             "png": "fig1a_ntk_drift.png", "sweep_pdf": "fig1a_sweep.pdf", "sweep_png": "fig1a_sweep.png"}
    return {k: str(folder / v) for k, v in names.items()}


def draw(tmp_path, folder: Path) -> dict:
    from pinnlab.report.fig1a import fig1a_figure

    out = outputs(folder)
    fig1a_figure(make_job({}, wildcards={"scale": SCALE}, input=fig1a_inputs(tmp_path / "runs"), output=out,
                          params={"headline": "d1-standardize"}, rule="fig1a_figure"))
    return out


def test_fig1a_tables_and_figures(tmp_path):
    """The tidy curves hold every (run, step, block, points, norm) with its value from the metrics; the runs table
    one row per run with the learned mark (final L2RE ≤ half the best baseline); both figures are drawn, in a
    figures folder that did not exist (the job makes it)."""
    out = draw(tmp_path, tmp_path / "not_yet" / SCALE)
    tidy = pd.read_csv(out["csv"])
    assert list(tidy.columns) == ["variant", "pde", "width", "seed", "step", "l2re", "block", "points", "norm",
                                  "delta_k"]
    assert len(tidy) == len(VARIANTS) * len(PDES) * len(WIDTHS) * len(SEEDS) * len(STEPS) * len(DRIFT)
    assert set(zip(tidy.block, tidy.points, tidy.norm)) == {
        (b, p, n) for b in DRIFT_BLOCKS for p in DRIFT_POINTS for n in DRIFT_NORMS}
    assert (tidy[tidy.step == 0].delta_k == 0).all()
    for row in tidy.sample(30, random_state=0).itertuples():
        expected = drift_value(row.variant, row.pde, row.width, row.seed, row.step,
                               drift_column(row.block, row.points, row.norm))
        assert row.delta_k == pytest.approx(expected)

    runs = pd.read_csv(out["runs"])
    assert len(runs) == len(VARIANTS) * len(PDES) * len(WIDTHS) * len(SEEDS)
    assert runs.baseline_best.to_numpy() == pytest.approx(best_baseline())
    assert (runs.baseline_zero == 1.0).all()
    assert list(runs.learned) == [(w, s) != (8, 1) for _ in VARIANTS for _ in PDES for w in WIDTHS for s in SEEDS]
    assert set(runs[runs.headline].variant) == {"d1-standardize"}
    assert runs[runs.variant == "d3-none"].depth.eq(3).all()
    assert (runs[runs.variant == "d3-none"].input_normalization == "none").all()
    for name in ("pdf", "sweep_pdf"):
        pdf = Path(out[name])
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 1000
        assert pdf.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_runs_of_the_old_format_ask_for_a_rerun(tmp_path):
    from pinnlab.errors import PinnlabError
    from pinnlab.report.fig1a import drift_table

    inputs = fig1a_inputs(tmp_path / "runs")
    old = json.loads(Path(inputs["summaries"][0]).read_text())
    old["config"]["settings"].pop("variant")
    Path(inputs["summaries"][0]).write_text(json.dumps(old))
    with pytest.raises(PinnlabError, match="re-run"):
        drift_table(inputs["summaries"][:1], inputs["metrics"][:1])
