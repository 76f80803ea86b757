import json

import numpy as np
import pandas as pd

from pinnlab.job import make_job
from pinnlab.paper import TABLE2_PAPER
from pinnlab.report.table2 import table2_l2re
from pinnlab.training.methods import BUILDERS


def write_table2(summaries, out_dir, scale):
    """The rule's job, without Snakemake: ``table2_l2re.{csv,md,tex}`` in ``out_dir``."""
    outputs = {ext: str(out_dir / f"table2_l2re.{ext}") for ext in ("csv", "md", "tex")}
    return table2_l2re(make_job({}, wildcards={"scale": scale}, input={"summaries": [str(p) for p in summaries]},
                                output=outputs))


def fake_summary(path, pde, method, seed, l2re, status="ok"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"status": status, "pde": pde, "method": method, "seed": seed, "width": 50,
                                "iterations": 100, "final": {"l2re": l2re}}))
    return path


def test_table2_best_median_pending_and_diverged(tmp_path, monkeypatch):
    monkeypatch.delitem(BUILDERS, "pcpinn")  # a Table 2 method without a builder is "pending"
    paths = [fake_summary(tmp_path / f"c{s}.json", "convection", "adam", s, v) for s, v in enumerate([0.3, 0.1, 0.2])]
    paths += [fake_summary(tmp_path / "w0.json", "wave", "adam", 0, 0.5),
              fake_summary(tmp_path / "w1.json", "wave", "adam", 1, None, status="diverged"),
              fake_summary(tmp_path / "h0.json", "heat2d_lt", "adam", 0, None, status="diverged")]
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
    assert len(back) == 30 and np.isnan(back[back.method == "pcpinn"].ours_best).all()


def test_missing_or_corrupt_summaries_are_explained(tmp_path):
    import pytest

    from pinnlab.errors import PinnlabError

    with pytest.raises(PinnlabError, match="made by the training rule"):
        write_table2([tmp_path / "none.json"], tmp_path, "smoke")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(PinnlabError, match="corrupt"):
        write_table2([tmp_path / "bad.json"], tmp_path, "smoke")
    (tmp_path / "nostatus.json").write_text("{}")
    with pytest.raises(PinnlabError, match="no valid status"):
        write_table2([tmp_path / "nostatus.json"], tmp_path, "smoke")
