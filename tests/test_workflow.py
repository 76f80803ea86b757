"""End to end: the smoke-scale DAG in a temporary copy of the repository makes Table 2."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


def snakemake(cwd, *args, timeout=600):
    exe = Path(sys.executable).with_name("snakemake")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("repo")
    for item in ("Snakefile", "config", "workflow", "profiles", "src", "environment.yml"):
        src = REPO / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / item)
    return dest


@pytest.mark.slow
def test_smoke_dag_makes_table2(repo_copy):
    out = snakemake(repo_copy, "--cores", "2", "all", "--config", "scale=smoke")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    table = pd.read_csv(repo_copy / "figures/smoke/table2_l2re.csv")
    trained = table[table.pde.isin(["convection", "wave", "heat2d_lt"])]
    assert len(trained) == 18 and (trained.status == "ok").all() and (trained.n_seeds == 1).all()
    assert trained.ours_best.between(0, 10).all()
    assert (table[table.pde.isin(["reaction", "burgers"])].status == "not run").all()
    for ext in ("md", "tex"):
        assert (repo_copy / f"figures/smoke/table2_l2re.{ext}").stat().st_size > 0
    run = repo_copy / "results/smoke/table2/convection/adam/w16/s0"
    assert {"summary.json", "metrics.csv", "params.npz"} <= {p.name for p in run.iterdir()}
    assert not (run / "checkpoint.npz").exists()
    # GDND continues the Adam+L-BFGS run: its metrics start with that run's rows
    gdnd = pd.read_csv(repo_copy / "results/smoke/table2/convection/gdnd/w16/s0/metrics.csv")
    parent = pd.read_csv(repo_copy / "results/smoke/table2/convection/adam_lbfgs/w16/s0/metrics.csv")
    assert list(gdnd.phase.unique()) == ["adam", "lbfgs", "nncg"]
    pd.testing.assert_frame_equal(gdnd.iloc[:len(parent)][parent.columns], parent, check_dtype=False)
    for name in ("newton_failure.pdf", "newton_failure.png", "newton_outcomes.md", "nncg_time_to_loss.png",
                 "nncg_time_to_loss.md", "fig1a_ntk_drift.png", "ntk_spectra.png", "ntk_width_limit.png",
                 "fig1b_hessian_norm.png", "hessian_density.png", "pcpinn_conditioning.md",
                 "kleingordon_weights.png", "kleingordon_fields.png", "kleingordon_losses.png",
                 "kleingordon_gradients.png"):
        assert (repo_copy / "figures/smoke" / name).stat().st_size > 0, name
    for pde in ("burgers", "heat2d_lt"):
        assert (repo_copy / f"data/reference/{pde}.json").exists()
    # Fig. 1a: one curve per (pde, width, seed) for each kernel and norm, starting at ΔK = 0
    drift = pd.read_csv(repo_copy / "figures/smoke/fig1a_ntk_drift.csv")
    curves = drift.groupby(["pde", "width", "seed", "kernel", "norm"]).size()
    assert len(curves) == 2 * 2 * 1 * 2 * 2 and curves.nunique() == 1
    assert (drift[drift.step == 0].delta_k == 0).all()
    # Fig. 1b: one norm per (pde, width, seed), all finite and positive
    norms = pd.read_csv(repo_copy / "figures/smoke/fig1b_hessian_norm.csv")
    assert len(norms) == 2 * 2 * 2 and (norms.hessian_norm > 0).all()
    # PCPINN+GDND continues the PCPINN Adam+L-BFGS run on the preconditioned loss
    pc = pd.read_csv(repo_copy / "results/smoke/table2/wave/pcpinn_gdnd/w16/s0/metrics.csv")
    assert list(pc.phase.unique()) == ["adam", "lbfgs", "nncg"]
    # Klein–Gordon: one row per model, annealed weights only for M2 and M4
    kg = pd.read_csv(repo_copy / "figures/smoke/kleingordon_errors.csv").set_index("model")
    assert list(kg.index) == ["M1", "M2", "M3", "M4"] and kg.l2re_best.gt(0).all()
    assert kg.weight_bcs.isna().tolist() == [True, False, True, False]
    # the claims report: every claim listed, none given a verdict from smoke numbers
    claims = json.loads((repo_copy / "figures/smoke/claims.json").read_text())["claims"]
    assert len(claims) == 21
    assert {c["verdict"] for c in claims} <= {"inconclusive at this scale", "not yet evaluated"}
    # PINN-NTK weights were updated and recorded
    m = pd.read_csv(repo_copy / "results/smoke/table2/wave/pinn_ntk/w16/s0/metrics.csv")
    assert (m.weight_ic.iloc[1:] != 1.0).all()
    # everything is cached: a second call has nothing to do
    again = snakemake(repo_copy, "--cores", "1", "all", "--config", "scale=smoke", "-n")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_dry_runs_plan_every_scale(repo_copy):
    for scale in ("quick", "paper"):
        out = snakemake(repo_copy, "-n", "--quiet", "all", "--cores", "1", "--config", f"scale={scale}")
        assert out.returncode == 0, out.stderr[-2000:]


def test_bad_config_stops_before_any_job(repo_copy):
    out = snakemake(repo_copy, "-n", "all", "--cores", "1", "--config", "scale=huge")
    assert out.returncode != 0
    assert "config key scale" in out.stdout + out.stderr


@pytest.mark.skipif(any(d.platform == "gpu" for d in __import__("jax").devices()),
                    reason="on a GPU machine the paper scale would really start")
def test_paper_scale_refuses_to_start_without_a_gpu(repo_copy):
    out = snakemake(repo_copy, "--cores", "1", "all", "--config", "scale=paper")
    assert out.returncode != 0
    assert "meant for a GPU" in out.stdout + out.stderr and "scale=quick" in out.stdout + out.stderr
    assert not (repo_copy / "results" / "paper").exists()
