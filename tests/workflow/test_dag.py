"""End to end: the smoke-scale DAG in a temporary copy of the repository makes Table 2."""

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from documented import fresh_clone

REPO = Path(__file__).resolve().parents[2]


def snakemake(cwd, *args, timeout=1800):  # a guard against a hang, not a speed check
    """Snakemake in ``cwd`` with the pinnlab of ``cwd/src`` (so that the rules' code inputs are the copy's files)."""
    exe = Path(sys.executable).with_name("snakemake")
    env = os.environ | {"PYTHONPATH": str(Path(cwd) / "src")}
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def planned_rules(cwd, *args) -> dict[str, int]:
    """rule -> number of jobs that a dry run of ``args`` plans (its job-stats table)."""
    out = snakemake(cwd, "-n", *args)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    text = out.stdout + out.stderr
    if "Nothing to be done" in text:
        return {}
    rows = {}
    for line in text[text.index("Job stats:"):].split("\n")[3:]:  # after the title, header and rule
        name, count = line.split()
        if name == "total":
            return rows
        rows[name] = int(count)
    raise AssertionError("no job-stats table in the dry run's output")


def report_results(html: str) -> dict:
    """The ``results`` object of a Snakemake HTML report: file path -> name, caption (HTML), data, ..."""
    marker = "var results = "
    start = html.index(marker, html.index('<script id="results">')) + len(marker)
    return json.JSONDecoder().raw_decode(html, start)[0]


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    return fresh_clone(tmp_path_factory.mktemp("repo"))


def test_snakemake_exits_when_its_last_job_is_done(tmp_path):
    """The profile's job-rate limiter leaves a timer of one timespan (a minute) after each scheduling round; Python
    waits for such timers before it exits, so every run used to end a minute after its last job. The Snakefile's
    onsuccess cancels them (common.smk, end_rate_limiter_timers): the run's wall time is Snakemake's own "Elapsed
    time" plus its start-up."""
    clone = fresh_clone(tmp_path)
    start = time.monotonic()
    out = snakemake(clone, "--cores", "1", "data/reference/convection.npz")
    wall = time.monotonic() - start
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    h, m, s = re.search(r"Elapsed time: (\d+):(\d+):([\d.]+)", out.stdout + out.stderr).groups()
    elapsed = 3600 * int(h) + 60 * int(m) + float(s)
    assert wall - elapsed < 30, f"{wall:.1f} s wall against {elapsed:.1f} s of Snakemake's own elapsed time"


@pytest.mark.slow
def test_smoke_dag_makes_table2(repo_copy):
    out = snakemake(repo_copy, "--cores", "2", "all", "--config", "scale=smoke")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    table = pd.read_csv(repo_copy / "figures/smoke/table2_l2re.csv")
    from pinnlab.config import load_config
    from pinnlab.layout import table2_runs

    # every configured cell (a method of table2.only on its PDEs only)
    cells = {(k.pde, k.method) for k in table2_runs(load_config(repo_copy / "config/config.yaml"), "smoke")}
    trained = table[[cell in cells for cell in zip(table.pde, table.method)]]
    assert len(trained) == len(cells) and (trained.status == "ok").all() and (trained.n_seeds == 1).all()
    assert trained.ours_best.between(0, 10).all()
    # the trivial baselines come from the references; every trained cell is marked learned or not
    assert (trained.baseline_zero == 1.0).all() and trained.learned.notna().all()
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
                 "nncg_time_to_loss.md", "fig1a_ntk_drift.png", "fig1a_sweep.png", "ntk_spectra.png",
                 "ntk_width_limit.png", "fig1b_hessian_norm.png", "hessian_density.png", "pcpinn_conditioning.md",
                 "kleingordon_weights.png", "kleingordon_fields.png", "kleingordon_losses.png",
                 "kleingordon_gradients.png"):
        assert (repo_copy / "figures/smoke" / name).stat().st_size > 0, name
    for pde in ("burgers", "heat2d_lt"):
        assert (repo_copy / f"data/reference/{pde}.json").exists()
    # Fig. 1a: one curve per run (the headline's 2 PDEs × 2 widths, the sweep's one run) for each block, kind of
    # points and norm, starting at ΔK = 0; every run marked learned or not
    drift = pd.read_csv(repo_copy / "figures/smoke/fig1a_ntk_drift.csv")
    curves = drift.groupby(["variant", "pde", "width", "seed", "block", "points", "norm"]).size()
    assert len(curves) == 5 * 3 * 2 * 2 and curves.nunique() == 1
    assert (drift[drift.step == 0].delta_k == 0).all()
    assert pd.read_csv(repo_copy / "figures/smoke/fig1a_runs.csv").learned.notna().sum() == 5
    # Fig. 1b: one norm per (pde, width, seed), all finite and positive
    norms = pd.read_csv(repo_copy / "figures/smoke/fig1b_hessian_norm.csv")
    assert len(norms) == 2 * 2 * 2 and (norms.hessian_norm > 0).all()
    # PCPINN+GDND continues the PCPINN Adam+L-BFGS run on the preconditioned loss
    pc = pd.read_csv(repo_copy / "results/smoke/table2/wave/pcpinn_gdnd/w16/s0/metrics.csv")
    assert list(pc.phase.unique()) == ["adam", "lbfgs", "nncg"]
    # Klein–Gordon: one row per model, annealed weights only for M2 and M4
    kg = pd.read_csv(repo_copy / "figures/smoke/kleingordon_errors.csv").set_index("model")
    assert list(kg.index) == ["M1", "M4"] and kg.l2re_best.gt(0).all()
    assert kg.weight_bcs.isna().tolist() == [True, False]  # annealed weights only for M4
    # the claims report: every claim listed, none given a verdict from smoke numbers
    claims = json.loads((repo_copy / "figures/smoke/claims.json").read_text())["claims"]
    assert len(claims) == 21
    assert {c["verdict"] for c in claims} <= {"inconclusive at this scale", "not yet evaluated"}
    # PINN-NTK weights were updated and recorded
    m = pd.read_csv(repo_copy / "results/smoke/table2/wave/pinn_ntk/w16/s0/metrics.csv")
    assert (m.weight_ic.iloc[1:] != 1.0).all()
    # everything is cached: a second call has nothing to do
    assert planned_rules(repo_copy, "--cores", "1", "all", "--config", "scale=smoke") == {}


@pytest.mark.slow
def test_every_job_ran_only_modules_among_its_code_inputs(repo_copy):
    """Each job's record of the pinnlab modules it loaded (workflow/scripts/job.py) against its rule's inputs."""
    made = snakemake(repo_copy, "--cores", "2", "all", "--config", "scale=smoke")
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    records = [json.loads(p.read_text()) for p in (repo_copy / "logs").rglob("*.modules.json")]
    assert {r["rule"] for r in records} >= {"train_table2", "train_fig1a", "train_kleingordon", "table2_l2re",
                                            "fig1a_figure", "kleingordon_report", "claims_report", "reference"}
    for record in records:
        missing = set(record["modules"]) - set(record["inputs"])
        assert not missing, f"rule {record['rule']} ran modules it does not declare: {sorted(missing)}"
        assert all(m.startswith(str(repo_copy.resolve())) for m in record["modules"])  # the copy's code ran
    # every job also says what made its outputs (records/collect.py keeps it with a study's tables)
    made_by = [json.loads(p.read_text()) for p in (repo_copy / "logs").rglob("*.provenance.json")]
    assert len(made_by) == len(records) and {r["status"] for r in made_by} == {"ok"}
    assert all(r["versions"]["jax"] and r["machine"]["cores"] and r["wall_time_s"] >= 0 for r in made_by)
    assert {r["device"] for r in made_by if r["rule"] == "train_table2"} == {"cpu:cpu"}


@pytest.mark.slow
def test_an_edit_re_runs_exactly_the_rules_that_import_it(repo_copy):
    made = snakemake(repo_copy, "--cores", "2", "all", "--config", "scale=smoke")
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    args = ("--cores", "1", "all", "--config", "scale=smoke")

    def touched(module):
        """The rules a dry run plans after an edit of ``module`` (a comment added; Snakemake compares the content
        of a newer input with the checksum it recorded, so a touch alone re-runs nothing)."""
        path = repo_copy / "src" / "pinnlab" / module
        source = path.read_text()
        path.write_text(source + "\n# an edit\n")
        try:
            return planned_rules(repo_copy, *args)
        finally:
            path.write_text(source)

    # a plotting module: its figure (and the claims that read the figure's table, and the summary of the claims),
    # nothing else
    assert set(touched("report/fig1a.py")) == {"fig1a_figure", "claims_report", "summary_report", "all"}
    assert set(touched("report/kleingordon_plots.py")) == {"kleingordon_report", "claims_report", "summary_report",
                                                          "all"}
    # the training loop: every training job and what depends on it, no reference, no study that does not train
    rules = touched("training/loop.py")
    assert {"train_table2", "train_fig1a", "train_kleingordon", "nncg_comparison", "table2_l2re"} <= set(rules)
    assert not {"reference", "newton_study", "ntk_spectra", "fig1b_norms"} & set(rules)
    every = planned_rules(repo_copy, *args, "--forceall")
    assert rules["train_table2"] == every["train_table2"]  # every smoke Table-2 run
    # a PDE: its reference, and every job that builds a PDE
    assert "reference" in touched("pdes/base.py")
    assert planned_rules(repo_copy, *args) == {}  # the edits undone: nothing to do


@pytest.mark.slow
def test_report_holds_every_figure_and_table_with_a_caption(repo_copy):
    # after the test above the DAG is up to date; alone, this makes it first
    made = snakemake(repo_copy, "--cores", "2", "all", "--config", "scale=smoke")
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    out = snakemake(repo_copy, "--report", "report.html", "--config", "scale=smoke")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    html = (repo_copy / "report.html").read_text()
    assert len(html) > 1_000_000  # the figures are embedded
    results = report_results(html)
    for name in ("table2_l2re.md", "table2_l2re.csv", "fig1a_ntk_drift.png", "ntk_spectra.png",
                 "ntk_width_limit.png", "fig1b_hessian_norm.png", "hessian_density.png", "newton_failure.png",
                 "newton_outcomes.md", "nncg_time_to_loss.png", "nncg_time_to_loss.md", "pcpinn_conditioning.md",
                 "kleingordon_errors.md", "kleingordon_weights.png", "kleingordon_fields.png",
                 "kleingordon_losses.png", "kleingordon_gradients.png", "kleingordon_annealing_cost.csv",
                 # the claims and the summary as HTML pages: the report embeds HTML, not Markdown
                 "claims.html", "claims.json", "summary.html", "summary.json"):
        assert f"figures/smoke/{name}" in results, name
    for path, result in results.items():  # every caption rendered, naming the scale
        assert "smoke scale" in result["caption"], path
    assert "Fig. 1a, smoke scale" in results["figures/smoke/fig1a_ntk_drift.png"]["caption"]


def test_dry_runs_plan_every_scale(repo_copy):
    for scale in ("quick", "paper"):
        out = snakemake(repo_copy, "-n", "--quiet", "all", "--cores", "1", "--config", f"scale={scale}")
        assert out.returncode == 0, out.stderr[-2000:]


def planned_table2_runs(repo_copy, scale: str):
    """The dry-run's job counts (its text) and the scale's Table-2 runs, with the runs they continue."""
    from pinnlab import catalog, layout
    from pinnlab.config import load_config

    out = snakemake(repo_copy, "-n", "all", "--cores", "1", "--config", f"scale={scale}")
    assert out.returncode == 0, out.stderr[-2000:]
    runs = set(layout.table2_runs(load_config(repo_copy / "config/config.yaml"), scale))
    return out.stdout + out.stderr, runs | {layout.continued_key(k) for k in runs if k.method in catalog.CONTINUES}


def test_paper_scale_trains_seeds_together_except_pcpinn(repo_copy):
    # one seeds-together job per (PDE, method) of the vmappable methods; the methods on the finite-difference grid
    # (PCPINN's, its controls, and the runs they continue), one job per seed
    from pinnlab import catalog

    text, runs = planned_table2_runs(repo_copy, "paper")
    together = {(k.pde, k.method) for k in runs if k.method in catalog.SEEDS_TOGETHER_METHODS}
    alone = [k for k in runs if k.method not in catalog.SEEDS_TOGETHER_METHODS]
    assert re.search(rf"^train_table2_seeds\s+{len(together)}$", text, re.M), text[-3000:]
    assert re.search(rf"^train_table2\s+{len(alone)}$", text, re.M), text[-3000:]


def test_quick_scale_trains_each_pde_methods_seeds_in_one_job(repo_copy):
    """``seeds_together: loop``: one job per Table-2 (PDE, method), PCPINN's included, per Fig. 1a (configuration,
    PDE, width) and per Klein–Gordon model; none per seed."""
    from pinnlab import layout
    from pinnlab.config import load_config

    text, runs = planned_table2_runs(repo_copy, "quick")
    cfg = load_config(repo_copy / "config/config.yaml")
    fig1a = {(k.experiment, k.pde, k.width) for k in layout.fig1a_runs(cfg, "quick")}
    models = {k.method for k in layout.kleingordon_runs(cfg, "quick")}
    assert len(fig1a) < len(layout.fig1a_runs(cfg, "quick")) and len(models) == 4
    for rule, jobs in (("train_table2", {(k.pde, k.method) for k in runs}), ("train_fig1a", fig1a),
                       ("train_kleingordon", models)):
        assert re.search(rf"^{rule}_seeds\s+{len(jobs)}$", text, re.M), (rule, text[-3000:])
        assert not re.search(rf"^{rule}\s+\d+$", text, re.M), (rule, text[-3000:])


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
    assert "Estimate, not a measurement" in out.stdout + out.stderr
    assert "snakemake --cores 8 paper_on_cpu --config scale=paper" in out.stdout + out.stderr


def test_what_a_cpu_decides_at_the_paper_scale_plans_no_gpu_rule(repo_copy):
    """``paper_on_cpu``: the CPU-sized studies and the claims, never Table 2's or Fig. 1a's training; a Fig. 1b
    table beyond the run's memory (pinnlab.host_memory) is left out and named, the Hessian claims' tables are not."""
    from pinnlab import host_memory

    heat = host_memory.fig1b_need_mb(10_000, 32768, "heat2d_lt")
    others = max(host_memory.fig1b_need_mb(10_000, 10_000, p) for p in ("convection", "wave", "reaction", "burgers"))
    assert others < heat  # the record's premise: Heat2d-LT's table is the one that outgrows a machine
    out = snakemake(repo_copy, "-n", "paper_on_cpu", "--cores", "8", "--resources", f"mem_mb={heat - 1}",
                    "--config", "scale=paper")
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-3000:]
    for rule in ("newton_study", "ntk_spectra", "train_kleingordon", "claims_report"):
        assert re.search(rf"^{rule}\s+\d+$", text, re.M), rule
    assert not re.search(r"^train_(table2|table2_seeds|fig1a)\s", text, re.M), text[-3000:]
    assert re.search(r"^fig1b_norms\s+4$", text, re.M) and not re.search(r"^fig1b_figure\s", text, re.M)
    assert "Fig. 1b left out: the table of heat2d_lt needs about" in text and "profiles/gpu fig1b" in text
    out = snakemake(repo_copy, "-n", "paper_on_cpu", "--cores", "8", "--resources", f"mem_mb={heat}",
                    "--config", "scale=paper")
    text = out.stdout + out.stderr
    assert re.search(r"^fig1b_norms\s+5$", text, re.M) and re.search(r"^fig1b_figure\s+1$", text, re.M), text[-3000:]


def test_a_fig1b_job_beyond_the_runs_memory_is_refused_before_it_starts(repo_copy):
    """Snakemake would cap the job's mem_mb at the run's and start it; the kernel would kill it much later."""
    out = snakemake(repo_copy, "--cores", "1", "results/smoke/fig1b/reaction.csv", "--resources", "mem_mb=100",
                    "--config", "scale=smoke")
    assert out.returncode != 0
    assert "results/smoke/fig1b/reaction.csv needs about" in out.stdout + out.stderr
    assert "--resources mem_mb=<MB>" in out.stdout + out.stderr
    assert not (repo_copy / "results/smoke/fig1b/reaction.csv").exists()  # no smoke DAG output


SHOW_RESOURCES = (  # a dry run prints a rule's message instead of its details: print the details
    "import sys, snakemake.logging as log; f = log.DefaultFormatter.format_job_info; "
    "log.DefaultFormatter.format_job_info = lambda self, m: f(self, dict(m, rule_msg=None)); "
    "from snakemake.cli import main; sys.exit(main(sys.argv[1:]))")


def planned_resources(cwd, *args) -> dict[str, list[dict]]:
    """rule -> the resources of each job a dry run plans."""
    out = subprocess.run([sys.executable, "-c", SHOW_RESOURCES, "-n", *args], cwd=cwd, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    jobs = {}
    for rule, body in re.findall(r"^(?:local)?rule (\w+):\n((?:    .*\n)+)", out.stdout + out.stderr, re.M):
        found = re.search(r"^    resources: (.*)$", body, re.M)
        jobs.setdefault(rule, []).append(dict(kv.split("=", 1) for kv in found.group(1).split(", ")) if found else {})
    return jobs


@pytest.mark.skipif(importlib.util.find_spec("snakemake_executor_plugin_slurm") is None,
                    reason="snakemake-executor-plugin-slurm is not installed (pip install -e '.[slurm]')")
def test_slurm_profile_asks_a_gpu_and_a_time_limit_for_training(repo_copy):
    jobs = planned_resources(repo_copy, "--profile", "profiles/slurm", "all", "--config", "scale=paper")
    assert jobs["train_table2"] and jobs["train_fig1a"]
    for rule in ("train_table2", "train_fig1a", "train_kleingordon", "fig1b_norms", "hessian_density"):
        for res in jobs[rule]:
            assert res["gpu"] == "1" and int(res["runtime"]) >= 60, (rule, res)
            assert int(res["mem_mb"]) >= (2000 if rule == "fig1b_norms" else 8000), (rule, res)
    # Fig. 1b: the rule's measured need (pinnlab.host_memory), which the profile does not override
    from pinnlab import host_memory

    assert max(int(res["mem_mb"]) for res in jobs["fig1b_norms"]) == host_memory.fig1b_need_mb(10_000, 32768,
                                                                                               "heat2d_lt")
    assert {r["runtime"] for r in jobs["train_table2"]} == {"240"}
    # CPU jobs: no GPU asked (references are planned only when the copy has none yet: the smoke test makes them)
    cpu_rules = [r for r in ("reference", "table2_l2re", "newton_study", "pcpinn_conditioning") if r in jobs]
    assert {"table2_l2re", "newton_study"} <= set(cpu_rules)
    for rule in cpu_rules:
        assert all("gpu" not in res and res["runtime"] == "60" for res in jobs[rule]), rule


def test_gpu_profile_limits_the_gpu_jobs_and_not_the_others(repo_copy):
    jobs = planned_resources(repo_copy, "--profile", "profiles/gpu", "all", "--config", "scale=smoke", "--forceall")
    assert all(res["gpu"] == "1" for res in jobs["train_table2"] + jobs["ntk_spectra"])
    assert all("gpu" not in res for res in jobs["table2_l2re"] + jobs["reference"])


def test_jobs_set_jax_gpu_memory_unless_the_environment_does(monkeypatch):
    sys.path.insert(0, str(REPO / "workflow" / "scripts"))
    try:
        from job import gpu_settings
    finally:
        sys.path.pop(0)
    for var in ("XLA_PYTHON_CLIENT_PREALLOCATE", "XLA_CLIENT_MEM_FRACTION", "XLA_PYTHON_CLIENT_MEM_FRACTION",
                "JAX_PLATFORMS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XLA_PYTHON_CLIENT_MEM_FRACTION", "0.5")  # the user's, under the deprecated name
    gpu_settings({"preallocate": False, "memory_fraction": 0.9}, gpus=1)
    assert os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
    assert "XLA_CLIENT_MEM_FRACTION" not in os.environ  # jaxlib refuses both names together
    assert "JAX_PLATFORMS" not in os.environ
    gpu_settings({"preallocate": True, "memory_fraction": 0.9}, gpus=0)  # a CPU job; what is set stays
    assert os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false" and os.environ["JAX_PLATFORMS"] == "cpu"
