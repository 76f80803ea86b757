"""A file changed or cut short after its job wrote it is caught where it is read, with the command that re-makes it
(issue #17): a run's params.npz, metrics.csv and summary.json, a reference changed or cut short, a run that is gone
(the ``verify`` target)."""

import json
from pathlib import Path

import numpy as np
import pytest

from pinnlab.config import load_config
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import load_reference
from pinnlab.experiments.table2 import resolve
from pinnlab.job import make_job
from pinnlab.nets import network_for
from pinnlab.reference.build import save_reference
from pinnlab.report.kleingordon import load_runs
from pinnlab.training.artifacts import load_warm_start, read_metrics, read_summary, write_run
from pinnlab.training.run import Outcome
from pinnlab.verify import problems, verify

RUN = "results/smoke/table2/wave/adam/w16/s0"


@pytest.fixture
def cfg(tmp_path):
    return load_config("config/config.yaml") | {"results_dir": str(tmp_path / "results"),
                                                "reference_dir": str(tmp_path / "ref")}


@pytest.fixture
def run_dir(tmp_path, cfg) -> Path:
    """A finished smoke run, as training writes it (its parameters untrained: only the files matter here)."""
    run = resolve(cfg, "smoke", "wave", "adam", 0)
    _, params = network_for(run.pde, run.network, 0)
    metrics = [{"step": s, "phase": "adam", "loss": 1.0 / (s + 1), "l2re": 0.5} for s in range(0, 41, 10)]
    directory = tmp_path / RUN
    write_run(directory, run, Outcome(params, None, metrics, "ok", None, 1.0, 0))
    return directory


def cut_in_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def remake(path: Path) -> str:
    return f"`snakemake --cores 1 --force {path}`"


def test_a_truncated_params_npz_of_a_parent_run_is_caught(run_dir):
    cut_in_half(run_dir / "params.npz")
    with pytest.raises(PinnlabError, match="params.npz does not match the SHA-256") as err:
        load_warm_start(run_dir)  # what GDND, the NNCG comparison and the Hessian densities read
    assert remake(run_dir / "summary.json") in str(err.value)


def test_a_metrics_csv_cut_at_a_row_is_caught(run_dir):
    lines = (run_dir / "metrics.csv").read_text().splitlines(keepends=True)
    (run_dir / "metrics.csv").write_text("".join(lines[:3]))  # still a valid CSV: pandas would read it
    for read in (lambda: read_metrics(run_dir / "metrics.csv", run_dir / "summary.json"),
                 lambda: load_runs([run_dir / "summary.json"], [run_dir / "metrics.csv"])):  # the KG report's
        with pytest.raises(PinnlabError, match="metrics.csv does not match the SHA-256") as err:
            read()
        assert remake(run_dir / "summary.json") in str(err.value)


def test_a_truncated_summary_json_is_caught(run_dir):
    cut_in_half(run_dir / "summary.json")
    with pytest.raises(PinnlabError, match="is corrupt") as err:
        read_summary(run_dir / "summary.json")
    assert remake(run_dir / "summary.json") in str(err.value)


def write_reference(path: Path) -> Path:
    x, t = np.linspace(0, 1, 9), np.linspace(0, 1, 5)
    save_reference(path, (x, t), np.outer(np.sin(x), 1 + t), {"pde": path.stem})
    return path


def test_an_altered_or_truncated_reference_is_caught(tmp_path):
    path = write_reference(tmp_path / "data/reference/wave.npz")
    assert load_reference(path).info["sha256"]
    with np.load(path) as data:  # other values, written as a valid file: only the hash tells
        arrays = dict(data)
    arrays["u"] = arrays["u"] * 1.01
    np.savez(path, **arrays)
    for damage in (lambda: None, lambda: cut_in_half(path)):
        damage()
        with pytest.raises(PinnlabError, match="does not match the SHA-256 its sidecar") as err:
            load_reference(path)
        assert remake(path) in str(err.value) and "python -m pinnlab reference --pde wave" in str(err.value)
    path.with_suffix(".json").unlink()
    with pytest.raises(PinnlabError, match="sidecar .* is missing"):
        load_reference(path)


def test_verify_names_missing_and_damaged_artifacts(run_dir, cfg, tmp_path):
    write_reference(tmp_path / "ref/wave.npz")
    missing, damaged, counts = problems(cfg, "smoke", [])
    assert not damaged and str(run_dir / "summary.json") not in missing  # the run is intact
    assert str(tmp_path / "results/smoke/table2/wave/pinn_ntk/w16/s0/summary.json") in missing
    cut_in_half(run_dir / "params.npz")
    (tmp_path / "ref/wave.npz").write_bytes(b"not a reference")
    missing, damaged, counts = problems(cfg, "smoke", [])
    assert len(damaged) == 2 and "params.npz does not match" in damaged[0] and "wave.npz does not match" in damaged[1]
    job = make_job(cfg, params={"scale": "smoke", "files": [str(tmp_path / "figures/smoke/table2_l2re.md")]})
    with pytest.raises(PinnlabError) as err:
        verify(job)
    text = str(err.value)
    assert "2 damaged" in text and remake(run_dir / "summary.json") in text
    assert "missing" in text and "`snakemake --cores 2 all --config scale=smoke`" in text
    json.loads((run_dir / "summary.json").read_text())  # verify reads, never writes
