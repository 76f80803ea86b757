"""Rule ``train_fig1a``'s job without Snakemake (smoke scale): a Fig. 1a run records the NTK drift ΔK of K_rr and
K_uu, in both norms, at every metrics row."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab.config import scale_config
from pinnlab.experiments.fig1a import train_fig1a
from pinnlab.job import make_job
from pinnlab.layout import RunKey

from .conftest import SCALE, wildcards_of

DRIFT = [f"ntk_drift_{kernel}_{norm}" for kernel in ("rr", "uu") for norm in ("spectral", "frobenius")]


def test_fig1a_run_records_the_ntk_drift(smoke_cfg, layout, reference_of):
    """The smallest smoke width on the first PDE: the run's own width and budget, the four ΔK columns, ΔK = 0 at
    step 0 (the kernel against itself) and > 0 once Adam has moved the parameters."""
    block = scale_config(smoke_cfg, SCALE)["fig1a"]
    pde, width, seed = block["pdes"][0], min(block["widths"]), block["seeds"][0]
    key = RunKey(SCALE, "fig1a", pde, "adam", width, seed)
    summaries = train_fig1a(make_job(
        smoke_cfg, wildcards=wildcards_of(key), input={"reference": reference_of(pde)},
        output=layout.run_files(key), rule="train_fig1a",
        params={"block": block, "protocol": scale_config(smoke_cfg, SCALE)["protocols"][pde]}))

    summary = json.loads(Path(layout.run(key)).read_text())
    assert summaries == [summary] and summary["status"] == "ok"
    assert (summary["experiment"], summary["pde"], summary["width"], summary["depth"], summary["seed"]) == (
        "fig1a", pde, width, block["depth"], seed)
    assert summary["iterations"] == block["iterations"]
    assert summary["config"]["settings"]["kernel_points"] == block["kernel_points"]

    metrics = pd.read_csv(layout.run(key, "metrics"))
    assert list(metrics.step) == list(range(0, block["iterations"] + 1, block["log_every"]))
    assert set(DRIFT) <= set(metrics.columns)
    drift = metrics[DRIFT].to_numpy()
    assert np.isfinite(drift).all()
    assert (drift[0] == 0).all()  # ΔK(0) = 0
    assert (drift[1:] > 0).all()
    assert (np.diff(drift[:, 0]) > 0).all()  # K_rr drifts further as training goes on (spectral norm)
    with np.load(layout.run(key, "params")) as params:
        assert sum(v.size for v in params.values()) == 2 * width + width + width + 1  # one hidden layer, (x, t)
