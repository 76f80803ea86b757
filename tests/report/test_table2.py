import json

import numpy as np
import pandas as pd
import pytest

from pinnlab.catalog import CONTROLS
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import Reference, load_reference, trivial_baselines
from pinnlab.job import make_job
from pinnlab.paper import TABLE2_PAPER, TABLE2_PDES
from pinnlab.pdes import make_pde
from pinnlab.reference.build import save_reference
from pinnlab.report.table2 import LEARNED_FRACTION, table2_l2re
from pinnlab.training.methods import BUILDERS

T = np.linspace(0.0, 1.0, 11)  # the time axis of the synthetic references (last axis, first level t = 0)
X = np.linspace(0.0, 2 * np.pi, 17, endpoint=False)


def write_reference(path, values, axes=(X, T)):
    """A reference file and its sidecar, as ``reference.build`` writes them."""
    save_reference(path, axes, values, {"pde": path.stem})
    return path


def separable_references(ref_dir):
    """u(x, t) = sin(x) (1 + t) for every PDE: its baselines are ‖t‖/‖1+t‖ (u(x, 0) for all t),
    ‖t − mean t‖/‖1+t‖ (time mean) and 1 (zero), the sin(x) factor cancelling."""
    ref_dir.mkdir(parents=True, exist_ok=True)
    u = np.sin(X)[:, None] * (1 + T)[None, :]
    return [write_reference(ref_dir / f"{pde}.npz", u) for pde in TABLE2_PDES]


def write_table2(summaries, out_dir, scale, references=None):
    """The rule's job, without Snakemake: ``table2_l2re.{csv,md,tex}`` in ``out_dir``."""
    references = separable_references(out_dir / "ref") if references is None else references
    outputs = {ext: str(out_dir / f"table2_l2re.{ext}") for ext in ("csv", "md", "tex")} | {
        "runs": str(out_dir / "table2_runs.csv")}
    return table2_l2re(make_job({}, wildcards={"scale": scale}, output=outputs,
                                input={"summaries": [str(p) for p in summaries],
                                       "references": [str(p) for p in references]}))


def fake_summary(run_dir, pde, method, seed, l2re, status="ok", scale="smoke"):
    """``run_dir/summary.json`` with the fields Table 2 reads (no run files: Table 2 reads none)."""
    path = run_dir / "summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"status": status, "scale": scale, "pde": pde, "method": method, "seed": seed,
                                "width": 50, "iterations": 100, "final": {"l2re": l2re}, "sha256": {}}))
    return path


def test_table2_best_median_pending_and_diverged(tmp_path, monkeypatch):
    monkeypatch.delitem(BUILDERS, "pcpinn")  # a Table 2 method without a builder is "pending"
    paths = [fake_summary(tmp_path / f"c{s}", "convection", "adam", s, v) for s, v in enumerate([0.3, 0.1, 0.2])]
    paths += [fake_summary(tmp_path / "w0", "wave", "adam", 0, 0.5),
              fake_summary(tmp_path / "w1", "wave", "adam", 1, None, status="diverged"),
              fake_summary(tmp_path / "h0", "heat2d_lt", "adam", 0, None, status="diverged")]
    table = write_table2(paths, tmp_path / "t", "smoke")
    row = table[(table.pde == "convection") & (table.method == "adam")].iloc[0]
    assert row.ours_best == 0.1 and row.ours_median == 0.2 and row.n_seeds == 3
    assert row.paper == TABLE2_PAPER["convection"]["adam"]
    wave = table[(table.pde == "wave") & (table.method == "adam")].iloc[0]
    assert wave.ours_best == 0.5 and wave.n_diverged == 1
    assert table[(table.pde == "heat2d_lt") & (table.method == "adam")].iloc[0].status == "diverged"
    pending = table[table.method == "pcpinn"]
    assert (pending.status == "pending").all() and pending.ours_best.isna().all()
    not_run = table[table.method == "gdnd"]  # implemented, no runs given
    assert (not_run.status == "not run").all() and not_run.ours_best.isna().all()
    md = (tmp_path / "t" / "table2_l2re.md").read_text()
    assert "1.00e-01 / 2.00e-01" in md and "pending" in md and "not run" in md and "diverged (1/1)" in md
    assert "×" in md  # cells the paper left empty
    tex = (tmp_path / "t" / "table2_l2re.tex").read_text()
    assert r"\begin{tabular}" in tex and "1.00e-01" in tex
    extra = table[table.method == "pcpinn_gdnd"]  # a column the paper does not have: its cells are empty
    assert extra.paper.isna().all()
    back = pd.read_csv(tmp_path / "t" / "table2_l2re.csv")
    n_columns = len(TABLE2_PAPER["convection"]) + 1 + len(CONTROLS)  # the paper's, PCPINN+GDND, the controls
    assert len(back) == 5 * n_columns and np.isnan(back[back.method == "pcpinn"].ours_best).all()


def test_missing_or_corrupt_summaries_are_explained(tmp_path):
    run = tmp_path / "results/smoke/table2/wave/adam/w16/s0"
    remake = f"snakemake --cores 1 --force {run / 'summary.json'}"
    with pytest.raises(PinnlabError, match="missing run summary") as err:
        write_table2([run / "summary.json"], tmp_path, "smoke")
    assert remake in str(err.value)
    run.mkdir(parents=True)
    for text, why in (("{not json", "corrupt"), ("{}", "no valid status"), ('{"status": "ok"}', "no SHA-256")):
        (run / "summary.json").write_text(text)
        with pytest.raises(PinnlabError, match=why) as err:
            write_table2([run / "summary.json"], tmp_path, "smoke")
        assert remake in str(err.value)
    # a file that is no summary is named as such: nothing tells the user to re-make a good run
    (run / "metrics.csv").write_text("step,loss\n0,1.0\n")
    with pytest.raises(PinnlabError, match="is not a run summary") as err:
        write_table2([run / "metrics.csv"], tmp_path, "smoke")
    assert "snakemake" not in str(err.value) and "delete" not in str(err.value)


def test_zero_predictor_gives_one_exactly_and_the_others_their_closed_forms(tmp_path):
    u = np.sin(X)[:, None] * (1 + T)[None, :]
    b = trivial_baselines(load_reference(write_reference(tmp_path / "r.npz", u)))
    assert b["zero"] == 1.0
    np.testing.assert_allclose(b["initial"], np.linalg.norm(T) / np.linalg.norm(1 + T), rtol=1e-6)
    np.testing.assert_allclose(b["time_mean"], np.linalg.norm(T - T.mean()) / np.linalg.norm(1 + T), rtol=1e-6)
    rng = np.random.default_rng(0)  # 3-D (x, y, t): the time mean and the initial slice are taken along t
    v = rng.normal(size=(4, 5, 6))
    b3 = trivial_baselines(Reference((np.arange(4.0), np.arange(5.0), np.arange(6.0)), v, {}))
    assert b3["zero"] == 1.0
    np.testing.assert_allclose(b3["initial"], np.linalg.norm(v - v[:, :, :1]) / np.linalg.norm(v), rtol=1e-6)
    mean_t = v.mean(axis=2, keepdims=True)
    np.testing.assert_allclose(b3["time_mean"], np.linalg.norm(v - mean_t) / np.linalg.norm(v), rtol=1e-6)


@pytest.mark.parametrize("pde", TABLE2_PDES)
def test_the_evaluation_grid_s_first_time_level_is_the_initial_time(pde):
    """``trivial_fields`` copies the grid's first time level as the initial condition."""
    problem = make_pde(pde)
    assert problem.input_names[-1] == "t" and problem.eval_axes()[-1][0] == problem.lower[-1]


def test_cells_not_below_the_best_baseline_are_marked_not_learned(tmp_path):
    refs = separable_references(tmp_path / "ref")
    best = min(trivial_baselines(load_reference(refs[0])).values())
    edge = LEARNED_FRACTION * best
    cells = {  # (pde, method): final L2RE per seed (None: diverged)
        ("convection", "adam"): [0.99 * edge, 0.98 * edge, 2.0],  # median just below: learned
        ("convection", "gdnd"): [1e-3, 1.01 * edge, 1.02 * edge],  # one lucky seed, the median above: not learned
        ("wave", "adam"): [1e-3, 1e-3, None, None, None],  # diverged seeds count as ∞: not learned
        ("wave", "adam_lbfgs"): [1e-3, 1e-3, 1e-3, None, None],  # learned despite two diverged
        ("reaction", "adam_ntk_schedule"): [2 * best, 3 * best],  # a control column is marked too
        ("reaction", "pinn_ntk"): [None, None],
    }
    paths = [fake_summary(tmp_path / f"{pde}-{m}-{s}", pde, m, s, v, "ok" if v is not None else "diverged", "quick")
             for (pde, m), values in cells.items() for s, v in enumerate(values)]
    write_table2(paths, tmp_path, "quick", refs)
    back = pd.read_csv(tmp_path / "table2_l2re.csv")
    learned = {(r.pde, r.method): r.learned for r in back.itertuples() if r.status != "not run"}
    assert learned == {("convection", "adam"): True, ("convection", "gdnd"): False, ("wave", "adam"): False,
                       ("wave", "adam_lbfgs"): True, ("reaction", "adam_ntk_schedule"): False,
                       ("reaction", "pinn_ntk"): False}
    assert back[back.status == "not run"].learned.isna().all()
    assert (back.baseline_best == best).all() and (back.baseline_zero == 1.0).all()
    assert set(back[back.control].method) == set(CONTROLS)
    md = (tmp_path / "table2_l2re.md").read_text()
    table_part = md.split("## Trivial baselines")[0]
    rows = {line.split(" | ")[0].strip("| "): line for line in table_part.splitlines() if line.startswith("| ")}
    assert rows["Convection"].count("not learned") == 1 and rows["Wave"].count("not learned") == 1
    assert rows["Reaction"].count("not learned") == 1  # the control; the diverged cell says "diverged"
    assert all(label in md for label in CONTROLS.values()) and "Trivial baselines" in md
    assert f"{edge:.3f}" in md  # the learned threshold of each PDE is shown
    assert (tmp_path / "table2_l2re.tex").read_text().count(r"$^\dagger$") == 3


def test_runs_without_their_reference_are_an_error(tmp_path):
    path = fake_summary(tmp_path / "c", "convection", "adam", 0, 0.1)
    with pytest.raises(PinnlabError, match="references"):
        write_table2([path], tmp_path, "smoke", references=[])
