"""The Klein–Gordon chain without Snakemake (smoke scale): ``train_kleingordon`` for M1 (plain) and M2 (annealed),
``kleingordon_analysis`` of the trained networks, then ``kleingordon_report``'s table, curves and figures."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.config import scale_config
from pinnlab.experiments.kleingordon import GROUPS, PDE_NAME, train_kleingordon, train_kleingordon_seeds
from pinnlab.experiments.kleingordon_analysis import kleingordon_analysis
from pinnlab.job import make_job
from pinnlab.layout import RUN_FILES, RunKey
from pinnlab.pdes import make_pde
from pinnlab.report.kleingordon import kleingordon_report

from .conftest import SCALE

MODELS = ("M1", "M2")  # plain and annealed MLPs: the report's weight columns differ between them
FIGURES = ("weights", "fields", "losses", "gradients")


@pytest.fixture(scope="module")
def block(smoke_cfg):
    return scale_config(smoke_cfg, SCALE)["kleingordon"]


@pytest.fixture(scope="module")
def runs(smoke_cfg, layout, reference_of, block):
    """model -> the key of its finished smoke run (seed 0), trained by rule ``train_kleingordon``'s job."""
    keys = {}
    for model in MODELS:
        key = RunKey(SCALE, "kleingordon", PDE_NAME, model, block["network"]["width"], 0)
        train_kleingordon(make_job(
            smoke_cfg, wildcards={"scale": SCALE, "model": model, "width": str(key.width), "seed": "0"},
            input={"reference": reference_of(PDE_NAME)}, output=layout.run_files(key), rule="train_kleingordon",
            params={"block": block, "loss_convention": smoke_cfg["loss_convention"]}))
        keys[model] = key
    return keys


def run_inputs(layout, runs) -> dict:
    """The runs' artifacts as the rules name them: summaries, metrics, params (lists, in the order of ``runs``)."""
    return {plural: [layout.run(k, name) for k in runs.values()]
            for plural, name in (("summaries", "summary"), ("metrics", "metrics"), ("params", "params"))}


@pytest.fixture(scope="module")
def analysis(smoke_cfg, layout, runs, block):
    """Rule ``kleingordon_analysis``'s outputs for the runs: {gradients, fields} paths."""
    out = {"gradients": layout.result(SCALE, "kleingordon", "gradients.npz"),
           "fields": layout.result(SCALE, "kleingordon", "fields.npz")}
    kleingordon_analysis(make_job(smoke_cfg, wildcards={"scale": SCALE}, input=run_inputs(layout, runs), output=out,
                                  params={"gradient_points": block["gradient_points"]},
                                  rule="kleingordon_analysis"))
    return out


def test_a_seeds_job_trains_each_seed_as_its_own_job_would(smoke_cfg, layout, runs, reference_of, block, tmp_path):
    """``train_kleingordon_seeds`` (``seeds_together: loop``): a model's seeds in one job, each in its own run
    directory; seed 0's metrics (the annealed weights included) are those of its one-run job."""
    key = runs["M2"]
    dirs = [tmp_path / "s0", tmp_path / "s1"]
    summaries = train_kleingordon_seeds(make_job(
        smoke_cfg, wildcards={"scale": SCALE, "model": "M2", "width": str(key.width)},
        input={"reference": reference_of(PDE_NAME)}, rule="train_kleingordon_seeds",
        output={out: [str(d / RUN_FILES[name]) for d in dirs]
                for out, name in (("summaries", "summary"), ("metrics", "metrics"), ("params", "params"))},
        params={"block": block, "loss_convention": smoke_cfg["loss_convention"], "seeds": [0, 1]}))
    assert [s["seed"] for s in summaries] == [0, 1] and all(s["status"] == "ok" for s in summaries)
    alone, looped = pd.read_csv(layout.run(key, "metrics")), pd.read_csv(dirs[0] / "metrics.csv")
    columns = [c for c in alone.columns if c != "wall_time_s"]
    pd.testing.assert_frame_equal(alone[columns], looped[columns])
    assert not looped.loss.equals(pd.read_csv(dirs[1] / "metrics.csv").loss)


def test_runs_record_their_model(layout, runs, block):
    """Each run's summary names its model and architecture; only M2 anneals, its two group weights shared inside
    their groups and moved away from 1."""
    for model, key in runs.items():
        summary = json.loads(Path(layout.run(key)).read_text())
        assert summary["status"] == "ok" and summary["method"] == model and summary["width"] == key.width
        assert summary["iterations"] == block["iterations"]
        settings = summary["config"]["settings"]
        assert settings["network"]["architecture"] == "mlp"
        assert {g: tuple(m) for g, m in settings["groups"].items()} == GROUPS
        assert (settings["weighting"] is not None) == (model == "M2")
        metrics = pd.read_csv(layout.run(key, "metrics"))
        assert list(metrics.step) == list(range(0, block["iterations"] + 1, block["log_every"]))
        for members in GROUPS.values():
            assert (metrics[f"weight_{members[0]}"] == metrics[f"weight_{members[1]}"]).all()
        moved = (metrics[[f"weight_{t}" for m in GROUPS.values() for t in m]] != 1.0).to_numpy().any()
        assert moved == (model == "M2")


def test_analysis_gradients_and_fields(layout, runs, analysis, block):
    """``gradients.npz``: per model, group and weight matrix the gradient entries (input → output: 2×w, w×w, w×1);
    ``fields.npz``: the exact solution and the trained network on the 100 × 100 grid, whose L2RE is the run's
    final L2RE (the final parameters were loaded)."""
    width, depth = block["network"]["width"], block["network"]["depth"]
    sizes = [2 * width] + [width * width] * (depth - 1) + [width]
    with np.load(analysis["gradients"]) as g:
        grads = dict(g)
    assert set(grads) == {f"{m}/{group}/{i}" for m in MODELS for group in ("res", *GROUPS) for i in range(depth + 1)}
    for m in MODELS:
        for group in ("res", *GROUPS):
            layers = [grads[f"{m}/{group}/{i}"] for i in range(depth + 1)]
            assert [v.size for v in layers] == sizes
            assert all(np.isfinite(v).all() for v in layers) and any(np.abs(v).max() > 0 for v in layers)

    pde = make_pde(PDE_NAME)
    with np.load(analysis["fields"]) as f:
        fields = dict(f)
    assert set(fields) == {f"{m}/{k}" for m in MODELS for k in ("x", "t", "exact", "pred")}
    x, t = pde.eval_axes()
    for m, key in runs.items():
        np.testing.assert_allclose(fields[f"{m}/x"], x)
        np.testing.assert_allclose(fields[f"{m}/t"], t)
        exact, pred = fields[f"{m}/exact"], fields[f"{m}/pred"]
        assert exact.shape == pred.shape == (len(x), len(t)) and np.isfinite(pred).all()
        final = json.loads(Path(layout.run(key)).read_text())["final"]["l2re"]
        assert np.linalg.norm(pred - exact) / np.linalg.norm(exact) == pytest.approx(final, rel=1e-3)
    np.testing.assert_allclose(fields["M1/exact"], fields["M2/exact"])
    assert not np.allclose(fields["M1/pred"], fields["M2/pred"])


def report_outputs(folder: Path) -> dict:
    """Rule ``kleingordon_report``'s outputs in ``folder``: the tables, the four PDFs (a list) and their PNGs."""
    return {"csv": str(folder / "kleingordon_errors.csv"), "md": str(folder / "kleingordon_errors.md"),
            "curves": str(folder / "kleingordon_curves.csv"),
            "pdfs": [str(folder / f"kleingordon_{name}.pdf") for name in FIGURES],
            **{f"{name}_png": str(folder / f"kleingordon_{name}.png") for name in FIGURES}}


def report_job(cfg, layout, runs, analysis, folder: Path):
    inputs = run_inputs(layout, runs)
    return make_job(cfg, wildcards={"scale": SCALE}, output=report_outputs(folder), rule="kleingordon_report",
                    input={"summaries": inputs["summaries"], "metrics": inputs["metrics"], **analysis})


def test_report_table_curves_and_figures(smoke_cfg, layout, runs, analysis, block):
    """``kleingordon_errors.{csv,md}``: one row per model, λ columns NaN for the plain M1 and finite for the annealed
    M2; ``kleingordon_curves.csv``: per model the logged steps with the loss groups and group weights; four figures,
    each as PDF and PNG."""
    folder = Path(layout.figure(SCALE, ""))
    folder.mkdir(parents=True, exist_ok=True)  # as Snakemake makes the outputs' folders
    job = report_job(smoke_cfg, layout, runs, analysis, folder)
    out = vars(job.output)
    table = kleingordon_report(job)

    errors = pd.read_csv(out["csv"])
    pd.testing.assert_frame_equal(errors, table, check_dtype=False)
    assert list(errors.model) == list(MODELS) and list(errors.annealing) == [False, True]
    assert (errors.n_seeds == 1).all() and (errors.n_diverged == 0).all()
    for row in errors.itertuples():
        summary = json.loads(Path(layout.run(runs[row.model])).read_text())
        assert row.l2re_best == row.l2re_median == pytest.approx(summary["final"]["l2re"])
    weights = ["weight_ics", "weight_bcs"]
    m1, m2 = errors.set_index("model").loc["M1"], errors.set_index("model").loc["M2"]
    assert m1[weights].isna().all() and np.isfinite(m2[weights].astype(float)).all()
    assert (m2[weights] > 0).all()
    assert m1.change_vs_m1_res == 0 and m1.l2re_change_vs_m1 == 0

    curves = pd.read_csv(out["curves"])
    assert {"model", "seed", "step", "l2re", "loss_res", "loss_ics", "loss_bcs", "weight_ics",
            "weight_bcs"} <= set(curves.columns)
    for model, key in runs.items():
        c, m = curves[curves.model == model], pd.read_csv(layout.run(key, "metrics"))
        assert list(c.step) == list(m.step)
        np.testing.assert_allclose(c.loss_ics, m.loss_ic + m.loss_ic_t, rtol=1e-6)
        np.testing.assert_allclose(c.loss_bcs, m.loss_bc_x0 + m.loss_bc_x1, rtol=1e-6)
        np.testing.assert_allclose(c.weight_bcs, m.weight_bc_x0)
    assert (curves[curves.model == "M1"][weights] == 1.0).all().all()
    # the last logged weight is the table's (one seed: its median is itself)
    np.testing.assert_allclose(curves[curves.model == "M2"][weights].iloc[-1].astype(float),
                               m2[weights].astype(float))

    md = Path(out["md"]).read_text()
    assert f"({SCALE} scale, {block['iterations']} Adam iterations, seeds [0])" in md
    def cells(first):
        return [c.strip() for c in next(line for line in md.splitlines() if line.startswith(f"| {first} |")).split("|")]

    header = cells("model")
    for model in MODELS:
        row = cells(model)
        lam = [row[header.index(name)] for name in ("λ_ics", "λ_bcs")]
        assert (lam == ["—", "—"]) == (model == "M1") and "—" not in row[1:header.index("λ_ics")]
    for name, pdf in zip(FIGURES, out["pdfs"]):
        assert Path(pdf).read_bytes()[:5] == b"%PDF-" and Path(pdf).stem == f"kleingordon_{name}"
        assert Path(out[f"{name}_png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_makes_its_output_folder(smoke_cfg, layout, runs, analysis, tmp_path):
    """Without Snakemake (``pinnlab.job``) the report makes the folder of its outputs, as the compute jobs do."""
    job = report_job(smoke_cfg, layout, runs, analysis, tmp_path / "not_yet" / SCALE)
    kleingordon_report(job)
    assert Path(job.output.md).exists()


def test_annealing_cost_times_every_model_in_interleaved_repeats(smoke_cfg, block, tmp_path):
    """Rule ``annealing_cost``: one row per model and repeat, the rounds in model order (interleaved)."""
    from pinnlab.experiments.annealing_cost import annealing_cost

    out = tmp_path / "kleingordon_annealing_cost.csv"
    block = block | {"models": ["M1", "M2"], "cost": {"steps": 5, "repeats": 3}}
    annealing_cost(make_job(smoke_cfg, wildcards={"scale": SCALE}, output={"csv": str(out)},
                            params={"block": block}, rule="annealing_cost"))
    t = pd.read_csv(out)
    assert list(t.model) == ["M1", "M2"] * 3 and list(t.repeat) == [0, 0, 1, 1, 2, 2]
    assert (t.ms_per_step > 0).all() and (t.steps_per_call == 5).all() and t.device.iloc[0].startswith("cpu")
    assert (t.others_busy_cores >= 0).all()  # measured per round (Linux), the claim's contention check
