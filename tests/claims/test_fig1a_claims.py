"""The Fig. 1a claims' rules on synthetic tables: runs that did not learn cannot decide, a seed spread that straddles
the threshold cannot decide, and the evidence lists the verdict under every configuration with the headline marked."""

import pandas as pd
import pytest

from pinnlab.claims.artifacts import Artifacts, Inconclusive
from pinnlab.claims.ntk import check_convection_constant, check_nonlinear_drift, constant_outcome, drift_outcome

WIDTHS = (100, 1000)
VARIANTS = ("d1-standardize", "d3-standardize")  # the first is the headline


def final(drift, learned=lambda w, s: True):
    """The last-step rows of one configuration-free curve set: ``drift(w, s)`` per width and seed."""
    return pd.DataFrame([{"width": w, "seed": s, "delta_k": drift(w, s), "learned": learned(w, s)}
                         for w in WIDTHS for s in (0, 1)])


@pytest.mark.parametrize(("drift", "expected"), [
    (lambda w, s: 0.4 + 0.01 * s, "pass"),  # constant in width
    (lambda w, s: 40 / w * (1 + 0.1 * s), "fail"),  # falls 10×, far beyond the seeds' spread
    (lambda w, s: (0.5 if w == 100 else 0.3) * (1 + 2 * s), "inconclusive"),  # falls on average, seeds 3× apart
])
def test_drift_outcome_weighs_the_seed_spread(drift, expected):
    assert drift_outcome(final(drift))[0] == expected


def test_runs_that_did_not_learn_cannot_decide():
    outcome, why = drift_outcome(final(lambda w, s: 40 / w, learned=lambda w, s: not (w == 1000 and s == 1)))
    assert outcome == "inconclusive" and "not learned: 1 of 2 seeds at width 1000" in why
    outcome, why = constant_outcome(final(lambda w, s: 0.01, learned=lambda w, s: False))
    assert outcome == "inconclusive" and "not learned" in why


@pytest.mark.parametrize(("widest", "expected"), [((0.05, 0.08), "pass"), ((0.2, 0.9), "fail"),
                                                  ((0.05, 0.2), "inconclusive")])
def test_convection_constant_decides_at_the_widest_width(widest, expected):
    assert constant_outcome(final(lambda w, s: 1.0 if w == 100 else widest[s]))[0] == expected


def artifacts(tmp_path, drift, learned=lambda v, p, w, s: True):
    """``fig1a_ntk_drift.csv`` and ``fig1a_runs.csv`` with ΔK = ``drift(variant, points, norm, pde, width)``."""
    curves, runs = [], []
    for v in VARIANTS:
        for pde in ("convection", "reaction", "burgers"):
            for w in WIDTHS:
                for s in (0, 1):
                    runs.append({"variant": v, "pde": pde, "width": w, "seed": s, "headline": v == VARIANTS[0],
                                 "status": "ok", "l2re": 0.01 if learned(v, pde, w, s) else 0.9,
                                 "baseline_best": 0.25, "learned": learned(v, pde, w, s)})
                    curves += [{"variant": v, "pde": pde, "width": w, "seed": s, "step": step, "l2re": 0.01,
                                "block": b, "points": pts, "norm": n,
                                "delta_k": step / 100 * drift(v, pts, n, pde, w) * (1 + 0.05 * s)}
                               for step in (0, 100) for b in ("full", "rr", "uu") for pts in ("fixed", "resampled")
                               for n in ("spectral", "frobenius")]
    paths = {"fig1a": tmp_path / "drift.csv", "fig1a_runs": tmp_path / "runs.csv"}
    pd.DataFrame(curves).to_csv(paths["fig1a"], index=False)
    pd.DataFrame(runs).to_csv(paths["fig1a_runs"], index=False)
    return Artifacts(paths, "quick")


def sensitivity(claim, a):
    from pinnlab.claims.evaluate import _judge, sensitivity

    head = _judge(claim, a)
    return head, {c["choice"]: c for c in sensitivity(claim, a, head["verdict"], head["outcome"])}


def test_the_headline_decides_and_every_choice_is_shown(tmp_path):
    """Burgers' ΔK falls with width in the sweep's network only: the headline (its own network, fixed points,
    spectral) reproduces the claim, the network choice is not robust, the others are."""
    from pinnlab.claims.ntk import NTK_NONLINEAR_DRIFT

    def drift(v, pts, n, pde, w):
        return 40 / w if (v, pde) == ("d3-standardize", "burgers") else 0.5

    a = artifacts(tmp_path, drift)
    ev = check_nonlinear_drift(a)
    assert ev.passed and ev.text.startswith("d1-standardize, fixed kernel points, spectral norm")
    head, choices = sensitivity(NTK_NONLINEAR_DRIFT, a)
    network = choices["network (depth, input scaling)"]
    assert [(o["option"], o["verdict"], o["paper"], o["decides"]) for o in network["options"]] == [
        ("d1-standardize", "reproduced", True, True), ("d3-standardize", "not reproduced", False, False)]
    assert network["robust"] == "not robust"
    assert choices["kernel points"]["robust"] == choices["matrix norm"]["robust"] == "robust"
    assert [o["option"] for o in choices["matrix norm"]["options"]] == ["spectral", "frobenius"]


def test_a_headline_that_did_not_learn_is_inconclusive_and_the_sweep_is_shown(tmp_path):
    """Convection's headline runs did not learn; the sweep's did and their ΔK is small: the claim stays
    inconclusive (the headline decides), with the sweep's verdict beside it."""
    from pinnlab.claims.ntk import NTK_CONVECTION_CONSTANT

    a = artifacts(tmp_path, lambda v, pts, n, pde, w: 0.01, learned=lambda v, p, w, s: v != VARIANTS[0])
    with pytest.raises(Inconclusive) as info:
        check_convection_constant(a)
    assert "not learned" in str(info.value)
    assert "Lowest final L2RE of any run: convection 0.01 (d3-standardize, w100; learned below 0.125)" in (
        str(info.value))
    head, choices = sensitivity(NTK_CONVECTION_CONSTANT, a)
    network = choices["network (depth, input scaling)"]
    assert network["options"][1]["verdict"] == "reproduced"
    assert network["robust"] == "the deciding option decides nothing (another does)"


def test_robust_when_every_configuration_agrees(tmp_path):
    from pinnlab.claims.ntk import NTK_CONVECTION_CONSTANT

    a = artifacts(tmp_path, lambda v, pts, n, pde, w: 0.02)
    assert check_convection_constant(a).passed
    _, choices = sensitivity(NTK_CONVECTION_CONSTANT, a)
    assert {c["robust"] for c in choices.values()} == {"robust"}


def test_one_learned_factor_for_fig1a_its_claims_and_table2():
    """The claims restate the report's factor (claims never import a report): the three must agree."""
    from pinnlab.claims.ntk import LEARNED_FRACTION as claims
    from pinnlab.claims.table2_cells import LEARNED_FRACTION as claims_table2
    from pinnlab.report.fig1a import LEARNED_FRACTION as fig1a
    from pinnlab.report.table2 import LEARNED_FRACTION as table2

    assert claims == claims_table2 == fig1a == table2
