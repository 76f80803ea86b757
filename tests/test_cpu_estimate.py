"""The paper scale's CPU-time estimate follows its cost model and counts the DAG's Table-2 jobs."""

import pytest

from pinnlab.catalog import CONTINUES
from pinnlab.config import load_config
from pinnlab.cpu_estimate import ADAM_MS_PAPER, HVP_PER_ADAM, LBFGS_PER_ADAM, paper_table2_cpu_hours, run_adam_steps


@pytest.fixture(scope="module")
def cfg():
    return load_config("config/config.yaml")


def test_each_method_is_priced_by_its_iterations(cfg):
    p = cfg["scales"]["paper"]["protocols"]["convection"]
    assert run_adam_steps("adam", p, 2) == p["iterations"]
    assert run_adam_steps("adam_lbfgs", p, 2) == pytest.approx(
        p["lbfgs"]["adam_steps"] + (p["iterations"] - p["lbfgs"]["adam_steps"]) * LBFGS_PER_ADAM)
    nncg = p["nncg"]  # GDND: only its own NNCG phase, cg_maxiter HVPs per iteration plus the sketch's share
    assert run_adam_steps("gdnd", p, 2) == pytest.approx(
        nncg["steps"] * (nncg["cg_maxiter"] + nncg["rank"] / nncg["precond_every"]) * HVP_PER_ADAM)
    assert run_adam_steps("pinn_ntk", p, 2) > 5 * p["iterations"]  # 3 × 500 against 3 × 200


def test_paper_estimate_counts_the_dags_table2_jobs(cfg):
    jobs, hours = paper_table2_cpu_hours(cfg)
    sc = cfg["scales"]["paper"]
    # the listed methods and the Adam+L-BFGS runs that PCPINN+GDND (and its ILU(0) control) continue, for every
    # PDE and seed
    parents = {CONTINUES[m] for m in sc["table2"]["methods"] if m in CONTINUES} - set(sc["table2"]["methods"])
    assert jobs == (len(sc["table2"]["methods"]) + len(parents)) * len(sc["table2"]["pdes"]) * len(sc["seeds"])
    adam = sum(len(sc["seeds"]) * sc["protocols"][pde]["iterations"] * ADAM_MS_PAPER[pde] / 3.6e6
               for pde in sc["table2"]["pdes"])
    assert hours["adam"] == pytest.approx(adam)
    # the NNCG phases follow the config's CG setting: the source's faithful one costs cg_maxiter 1,000 HVPs an
    # iteration against the paper scale's inexact 100 (plus the sketch's share, rank / F, in both)
    from pinnlab.config import load_config

    faithful = paper_table2_cpu_hours(load_config("config/config.yaml", {"nncg_setting": "faithful"}))[1]
    nncg = sc["protocols"]["convection"]["nncg"]
    sketch = nncg["rank"] / nncg["precond_every"]
    for m in (m for m in CONTINUES if m in hours):
        assert faithful[m] == pytest.approx(hours[m] * (1000 + sketch) / (nncg["cg_maxiter"] + sketch))
