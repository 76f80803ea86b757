"""Rule ``train_table2``'s job without Snakemake (smoke scale): the artifacts of a run, GDND continuing its
Adam+L-BFGS run, and a run directory whose width disagrees with the config."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.config import scale_config
from pinnlab.errors import PinnlabError
from pinnlab.experiments.table2 import train_table2
from pinnlab.layout import CHECKPOINT_FILE, table2_run

from .conftest import SCALE, table2_job


def test_adam_run_writes_its_artifacts_and_names_itself(smoke_cfg, layout, table2_runs):
    """summary/metrics/params of Adam on convection: status ok, the summary's config names the run, the metrics
    log every ``log_every`` steps to the budget and the params hold the protocol's network."""
    key = table2_runs("convection", "adam")
    proto = scale_config(smoke_cfg, SCALE)["protocols"]["convection"]
    files = layout.run_files(key)
    summary = json.loads(Path(files["summary"]).read_text())
    assert summary == table2_runs.returned[key][0]  # the job returns what it wrote
    assert summary["status"] == "ok" and summary["diverged_at_step"] is None
    assert {k: summary[k] for k in ("scale", "experiment", "pde", "method", "seed", "width", "depth")} == {
        "scale": SCALE, "experiment": "table2", "pde": "convection", "method": "adam", "seed": 0,
        "width": proto["network"]["width"], "depth": proto["network"]["depth"]}
    config = summary["config"]
    assert {k: config[k] for k in ("scale", "experiment", "pde", "method", "seed")} == {
        "scale": SCALE, "experiment": "table2", "pde": "convection", "method": "adam", "seed": 0}
    assert config["settings"]["iterations"] == proto["iterations"] and "continues" not in config
    assert config["loss_convention"] == smoke_cfg["loss_convention"]
    assert summary["iterations"] == summary["steps_completed"] == proto["iterations"]

    metrics = pd.read_csv(files["metrics"])
    assert list(metrics.step) == list(range(0, proto["iterations"] + 1, proto["log_every"]))
    assert set(metrics.phase) == {"adam"}
    assert metrics[["loss", "l2re"]].notna().all().all() and (metrics.loss > 0).all()
    assert np.allclose(metrics.loss, metrics[[c for c in metrics if c.startswith("loss_")]].sum(axis=1), rtol=1e-5)
    assert summary["final"]["l2re"] == pytest.approx(metrics.l2re.iloc[-1])
    assert metrics.loss.iloc[-1] < metrics.loss.iloc[0]

    with np.load(files["params"]) as params:
        count = sum(v.size for v in params.values())
        assert all(np.isfinite(v).all() for v in params.values())
    width, depth = proto["network"]["width"], proto["network"]["depth"]
    assert count == (2 * width + width) + (depth - 1) * (width * width + width) + (width + 1)  # (x, t) -> ... -> u
    assert not (Path(files["summary"]).parent / CHECKPOINT_FILE).exists()  # removed once the run is written


def test_gdnd_continues_its_adam_lbfgs_run(smoke_cfg, layout, table2_runs):
    """GDND given the Adam+L-BFGS run's summary as ``continues``: its metrics start with the parent's rows, then
    NNCG steps follow to the parent's budget plus ``nncg.steps``; phases adam, lbfgs, nncg in that order."""
    key = table2_runs("convection", "gdnd")
    parent_key = key._replace(method="adam_lbfgs")
    proto = scale_config(smoke_cfg, SCALE)["protocols"]["convection"]
    parent = pd.read_csv(layout.run(parent_key, "metrics"))
    metrics = pd.read_csv(layout.run(key, "metrics"))
    summary = json.loads(Path(layout.run(key)).read_text())

    assert summary["status"] == "ok"
    assert Path(summary["config"]["continues"]) == Path(layout.run(parent_key)).parent
    assert list(dict.fromkeys(parent.phase)) == ["adam", "lbfgs"]
    pd.testing.assert_frame_equal(metrics.iloc[:len(parent)][parent.columns], parent)
    assert list(dict.fromkeys(metrics.phase)) == ["adam", "lbfgs", "nncg"]
    nncg = metrics.iloc[len(parent):]
    assert len(nncg) > 0 and set(nncg.phase) == {"nncg"}
    assert nncg.step.iloc[-1] == parent.step.iloc[-1] + proto["nncg"]["steps"] == summary["steps_completed"]
    assert metrics.step.is_monotonic_increasing
    assert nncg.loss.iloc[-1] <= parent.loss.iloc[-1] * (1 + 1e-6)  # NNCG's Armijo steps never raise the loss


def test_width_wildcard_must_match_the_config(smoke_cfg, layout, reference_of):
    """A run directory ``w<width>`` the config does not train is refused, naming both widths, before any work."""
    key = table2_run(smoke_cfg, SCALE, "convection", "adam", 0)
    wrong = key._replace(width=key.width + 1)
    job = table2_job(smoke_cfg, layout, wrong, reference_of("convection"))
    with pytest.raises(PinnlabError, match=rf"width {key.width + 1}.*width {key.width}"):
        train_table2(job)
    assert not Path(layout.run_dir(wrong)).exists()
