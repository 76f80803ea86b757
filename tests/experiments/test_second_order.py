"""The exact-Newton study's classification and the NNCG time-to-loss summary."""

import numpy as np
import pandas as pd

from pinnlab.experiments.newton import StudySettings, classify, outcome_table, run_study
from pinnlab.experiments.nncg import time_to_loss
from pinnlab.pdes import make_pde

SETTINGS = StudySettings(width=6, depth=1, n_res=12, n_boundary=2, iterations=40, seeds=(0, 1))


def test_classification_of_end_points():
    s = SETTINGS
    assert classify(10.0, 1e-7, 1e-2, -1.0, 5.0, s) == "minimum"  # loss near zero
    assert classify(10.0, 3.0, 1e-9, -0.5, 5.0, s) == "saddle"  # stationary, negative curvature
    assert classify(10.0, 3.0, 1e-9, -1e-9, 5.0, s) == "minimum"  # stationary, curvature ≥ −tol·λmax
    assert classify(10.0, 3.0, 1e-1, -0.5, 5.0, s) == "not converged"
    assert classify(10.0, 200.0, 1e-1, -0.5, 5.0, s) == "diverged"
    assert classify(10.0, np.nan, np.nan, np.nan, np.nan, s) == "diverged"


def test_study_runs_every_method_and_gauss_newton_lowers_the_loss():
    runs, traces = run_study(make_pde("poisson1d", a=1), SETTINGS)
    assert len(runs) == 8 and set(runs.outcome) <= {"minimum", "saddle", "not converged", "diverged"}
    assert len(traces) == 8 * (SETTINGS.iterations + 1)
    gn = runs[runs.method == "gauss_newton"]
    assert (gn.final_loss < 0.1 * gn.initial_loss).all()
    # a reported saddle really has a negative eigenvalue and a vanishing gradient
    for _, r in runs[runs.outcome == "saddle"].iterrows():
        assert r.eig_min < 0 and r.grad_norm <= SETTINGS.grad_tol
    table = outcome_table(runs)
    assert table[["minimum", "saddle", "not converged", "diverged"]].sum(axis=1).eq(2).all()


def test_time_to_loss_and_speedup():
    traces = pd.DataFrame({
        "setting": ["faithful"] * 3 + ["inexact"] * 4,
        "iteration": [0, 1, 2, 0, 1, 2, 3],
        "wall_time_s": [0, 10, 20, 0, 1, 2, 3],
        "loss": [1.0, 0.5, 0.2, 1.0, 0.6, 0.3, 0.15],
        "cg_iterations": [0, 1000, 1000, 0, 20, 30, 40],
    })
    table = time_to_loss(traces).set_index("setting")
    assert table.loc["faithful", "seconds_to_target"] == 20 and table.loc["inexact", "seconds_to_target"] == 3
    assert table.loc["inexact", "speedup_vs_faithful"] == 20 / 3
    assert table.loc["inexact", "mean_cg_iterations"] == 30
