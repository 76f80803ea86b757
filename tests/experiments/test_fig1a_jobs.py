"""Rule ``train_fig1a``'s job without Snakemake (smoke scale): a Fig. 1a run of each configuration records ΔK of the
NTK and its blocks, on fixed and resampled points, in both norms, at every metrics row; the configurations and their
runs as ``pinnlab.layout`` enumerates them."""

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.config import scale_config
from pinnlab.diagnostics.ntk import DRIFT_BLOCKS, DRIFT_NORMS, DRIFT_POINTS, drift_column
from pinnlab.errors import PinnlabError
from pinnlab.experiments.fig1a import resolve, train_fig1a, train_fig1a_seeds
from pinnlab.job import make_job
from pinnlab.layout import RUN_FILES, fig1a_configurations, fig1a_run, fig1a_runs, fig1a_settings

from .conftest import SCALE

DRIFT = [drift_column(b, p, n) for b in DRIFT_BLOCKS for p in DRIFT_POINTS for n in DRIFT_NORMS]


def train(cfg, layout, reference_of, variant, pde, width, seed):
    key = fig1a_run(SCALE, variant, pde, width, seed)
    summaries = train_fig1a(make_job(
        cfg, wildcards={"scale": SCALE, "variant": variant, "pde": pde, "width": str(width), "seed": str(seed)},
        input={"reference": reference_of(pde)}, output=layout.run_files(key), rule="train_fig1a",
        params={"settings": fig1a_settings(cfg, SCALE, variant)}))
    return key, summaries


def test_fig1a_run_records_the_ntk_drift(smoke_cfg, layout, reference_of):
    """The headline's smallest width on its first PDE: the run's own width, depth, input scaling and budget, the 12
    ΔK columns, ΔK = 0 at step 0 (the kernel against itself, on either points) and > 0 once Adam has moved the
    parameters; training on fresh uniform batches."""
    head = fig1a_configurations(smoke_cfg, SCALE)[0]
    block = scale_config(smoke_cfg, SCALE)["fig1a"]
    pde, width, seed = head["pdes"][0], min(head["widths"]), head["seeds"][0]
    key, summaries = train(smoke_cfg, layout, reference_of, head["variant"], pde, width, seed)

    summary = json.loads(Path(layout.run(key)).read_text())
    assert summaries == [summary] and summary["status"] == "ok"
    assert (summary["experiment"], summary["pde"], summary["width"], summary["depth"], summary["seed"]) == (
        f"fig1a/{head['variant']}", pde, width, head["network"]["depth"], seed)
    settings = summary["config"]["settings"]
    assert summary["iterations"] == block["iterations"] and settings["variant"] == head["variant"]
    assert settings["network"]["input_normalization"] == head["network"]["input_normalization"]
    assert settings["kernel_points"] == block["kernel_points"] and settings["points"]["resample"] is True
    assert settings["points"]["n_res"] == block["batch"]["n_res"]

    metrics = pd.read_csv(layout.run(key, "metrics"))
    assert list(metrics.step) == list(range(0, block["iterations"] + 1, block["log_every"]))
    assert set(DRIFT) <= set(metrics.columns)
    drift = metrics[DRIFT].to_numpy()
    assert np.isfinite(drift).all()
    assert (drift[0] == 0).all()  # ΔK(0) = 0
    assert (drift[1:] > 0).all()
    assert (np.diff(metrics[drift_column("full", "fixed", "spectral")]) > 0).all()  # drifts further in training
    with np.load(layout.run(key, "params")) as params:
        assert sum(v.size for v in params.values()) == 2 * width + width + width + 1  # one hidden layer, (x, t)


def test_a_seeds_job_trains_each_seed_as_its_own_job_would(smoke_cfg, layout, reference_of, tmp_path):
    """``train_fig1a_seeds`` (``seeds_together: loop``): every seed in one job, each in its own run directory, with
    the metrics (ΔK included) that seed's one-run job writes."""
    head = fig1a_configurations(smoke_cfg, SCALE)[0]
    pde, width, seeds = head["pdes"][0], min(head["widths"]), [0, 1]
    dirs = [tmp_path / f"s{seed}" for seed in seeds]
    summaries = train_fig1a_seeds(make_job(
        smoke_cfg, wildcards={"scale": SCALE, "variant": head["variant"], "pde": pde, "width": str(width)},
        input={"reference": reference_of(pde)}, rule="train_fig1a_seeds",
        output={out: [str(d / RUN_FILES[name]) for d in dirs]
                for out, name in (("summaries", "summary"), ("metrics", "metrics"), ("params", "params"))},
        params={"settings": fig1a_settings(smoke_cfg, SCALE, head["variant"]), "seeds": seeds}))
    assert [s["seed"] for s in summaries] == seeds and all(s["status"] == "ok" for s in summaries)
    for seed, d in zip(seeds, dirs):
        key, _ = train(smoke_cfg, layout, reference_of, head["variant"], pde, width, seed)
        alone, looped = pd.read_csv(layout.run(key, "metrics")), pd.read_csv(d / "metrics.csv")
        columns = [c for c in alone.columns if c != "wall_time_s"]
        pd.testing.assert_frame_equal(alone[columns], looped[columns])
    first, second = (pd.read_csv(d / "metrics.csv") for d in dirs)
    assert not first.loss.equals(second.loss)  # two seeds, two runs


def test_a_sweep_configuration_trains_its_own_network(smoke_cfg, layout, reference_of):
    """The sweep's first configuration: its own network (depth, unscaled inputs) and run directory."""
    conf = fig1a_configurations(smoke_cfg, SCALE)[1]
    run = resolve(smoke_cfg, SCALE, conf["variant"], conf["pdes"][0], conf["widths"][0], 0)
    assert run.network == dict(conf["network"], width=conf["widths"][0])
    assert run.label.startswith(f"{SCALE}/fig1a/{conf['variant']}/")


def test_layout_enumerates_each_configuration_with_its_own_sizes(smoke_cfg):
    cfg = copy.deepcopy(smoke_cfg)
    block = scale_config(cfg, SCALE)["fig1a"]
    block["sweep"] = [{"network": {"depth": 3, "input_normalization": "standardize"}, "widths": [8]},
                      {"network": {"depth": 1, "input_normalization": "none"}, "pdes": ["burgers"], "seeds": [4, 5]}]
    configs = fig1a_configurations(cfg, SCALE)
    assert [c["variant"] for c in configs] == ["d1-standardize", "d3-standardize", "d1-none"]
    assert [c["headline"] for c in configs] == [True, False, False]
    runs = fig1a_runs(cfg, SCALE)
    n = len(block["pdes"]) * len(block["seeds"])
    assert len(runs) == n * len(block["widths"]) + n + len(block["widths"]) * 2
    assert fig1a_run(SCALE, "d1-none", "burgers", 8, 5) in runs
    assert fig1a_settings(cfg, SCALE, "d3-standardize")["network"] == {"depth": 3, "input_normalization": "standardize"}
    with pytest.raises(PinnlabError, match="no Fig. 1a configuration 'd2-box'"):
        fig1a_settings(cfg, SCALE, "d2-box")
    block["sweep"].append({"network": dict(block["network"])})
    with pytest.raises(PinnlabError, match="same network"):
        fig1a_runs(cfg, SCALE)
