"""Verdicts that survive (issue #14): seed statistics, leave-one-out stability, rounding noise, sensitivity."""

import re

import numpy as np
import pandas as pd
import pytest

from claims.test_claims import GOOD, GOOD_T2, T2_SEEDS, _t2_with, eigenvalues, table2_runs, verdicts
from pinnlab.claims.artifacts import Inconclusive
from pinnlab.claims.stats import median_ratio, side, width_exponent


def test_median_ratio_and_its_interval():
    a, b = [1.0, 2.0, 3.0], [10.0, 10.0, 10.0]
    r, lo, hi = median_ratio(a, b)
    assert r == pytest.approx(0.2) and 0.1 <= lo <= r <= hi <= 0.3  # the interval stays within the seeds' range
    assert median_ratio(a, b) == (r, lo, hi)  # a fixed generator: the same artifacts give the same interval
    with pytest.raises(Inconclusive, match="1 seed"):
        median_ratio([1.0], b)
    # a diverged seed (∞) is a large value, not an error; all diverged on both sides cannot be compared
    assert median_ratio([np.inf, np.inf, 1.0], b)[0] == np.inf
    with pytest.raises(Inconclusive, match="diverged"):
        median_ratio([np.inf] * 3, [np.inf] * 3)


def test_side_is_three_way():
    assert side(0.1, 0.4, 0.5) is True and side(0.6, 0.9, 0.5) is False and side(0.4, 0.6, 0.5) is None


def test_width_exponent_needs_two_seeds_per_width():
    one = pd.DataFrame([{"width": w, "seed": 0, "v": 1.0 / w} for w in (10, 100)])
    with pytest.raises(Inconclusive, match="one seed"):
        width_exponent(one, "v")


def test_a_comparison_within_seed_noise_is_inconclusive(tmp_path):
    """GDND's median 3 % below the best other on Reaction, the seeds spread by ±25 %: neither "lowest" nor not."""
    runs = table2_runs(GOOD_T2 | {"reaction": (0.0144, 0.015, 0.021, 0.019, 0.0140, 0.008, 0.02)}, spread=1.25)
    row = verdicts(tmp_path, GOOD | {"table2_runs": runs})["gdnd-lowest"]
    assert row["verdict"] == "inconclusive at this scale"
    assert re.search(r"undecided: [a-z, ]*reaction", row["evidence"]), row["evidence"]
    # the papers' best-of-seeds reading decides it, one lucky seed either way: shown, not deciding
    best = {o["option"]: o for o in row["sensitivity"][0]["options"]}["best"]
    assert best["paper"] and not best["decides"] and best["outcome"] in ("pass", "fail")


def _perturbed(tables: dict, rel: float, seed: int = 0) -> dict:
    """Every float of every table multiplied by 1 + ε, |ε| ≤ ``rel`` (rounding noise)."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, df in tables.items():
        df = df.copy()
        for c in df.columns:
            if df[c].dtype.kind == "f":
                df[c] = df[c] * (1 + rel * rng.uniform(-1, 1, len(df)))
        out[name] = df
    return out


def _summary(rows: dict) -> dict:
    return {k: (r["verdict"], r["stability"]["label"], tuple(c["robust"] for c in r["sensitivity"]))
            for k, r in rows.items()}


@pytest.mark.parametrize("scale", ["paper", "quick"])
def test_rounding_noise_changes_no_verdict(tmp_path, scale):
    """Two artifact sets that differ by rounding noise (relative 1e-6, as a CSV round trip or another BLAS
    summation order gives) have the same verdicts, stability and sensitivity labels."""
    one = verdicts(tmp_path / "a", GOOD, scale)
    two = verdicts(tmp_path / "b", _perturbed(GOOD, 1e-6), scale)
    assert _summary(one) == _summary(two)


def test_the_good_artifacts_are_stable(tmp_path):
    rows = verdicts(tmp_path, GOOD)
    fragile = {k: r["stability"]["label"] for k, r in rows.items() if r["stability"].get("fragile")}
    assert fragile == {}
    t2 = rows["gdnd-lowest"]["stability"]
    assert len(t2["left_out"]) == len(T2_SEEDS) and t2["label"].startswith("stable (each of 5 seeds")
    assert rows["annealing-overhead"]["stability"]["label"].startswith("stable (each of 5 repeats")


def test_a_verdict_one_seed_decides_is_fragile(tmp_path):
    """W22's trace ratio: two seeds far above the gap and one below it. With all three the seeds straddle the gap
    (inconclusive); leaving the low one out reproduces the claim: fragile, and the report says which seed."""
    e = eigenvalues(100.0)
    low = (e.setup == "w22") & (e.seed == 0) & (e.block == "res")
    e.loc[low, ["trace", "eigenvalue"]] *= 0.05  # Tr(K_rr)/Tr(K_uu) = 5 for seed 0
    e = pd.concat([e, e[e.seed == 1].assign(seed=2)])
    row = verdicts(tmp_path, GOOD | {"ntk_eigenvalues": e})["ntk-rate-discrepancy"]
    assert row["verdict"] == "inconclusive at this scale"
    assert row["stability"]["fragile"] and "without seed 0: reproduced" in row["stability"]["label"]


def test_a_table2_verdict_that_one_seed_fewer_flips_is_fragile(tmp_path):
    """PINN-NTK on Convection: two seeds at 0.6, one at 0.4 around the 0.5 failure line → inconclusive; without the
    0.4 seed every seed fails → reproduced."""
    runs = table2_runs(GOOD_T2)
    runs = runs[runs.seed < 3].copy()
    ntk = (runs.pde == "convection") & (runs.method == "pinn_ntk")
    runs.loc[ntk, "l2re"] = [0.4, 0.6, 0.6]
    row = verdicts(tmp_path, GOOD | {"table2_runs": runs})["ntk-fails-convection"]
    assert row["verdict"] == "inconclusive at this scale"
    assert row["stability"]["fragile"] and "without seed 0: reproduced" in row["stability"]["label"]


def test_sensitivity_marks_the_paper_s_option_and_robustness(tmp_path):
    rows = verdicts(tmp_path, GOOD | {"table2_runs": _t2_with(heat2d_lt__pcpinn=0.02)})
    heat = {c["choice"]: c for c in rows["pcpinn-heat-order-of-magnitude"]["sensitivity"]}
    pre = heat["PCPINN's preconditioner"]
    assert [(o["option"], o["paper"], o["decides"]) for o in pre["options"]] == [
        ("near-exact ILU", False, True), ("ILU(0)", True, False)]
    assert pre["options"][1]["verdict"] == "inconclusive at this scale"  # ILU(0) not run: shown, not hidden
    assert "no runs of pcpinn_ilu0" in pre["options"][1]["evidence"] and pre["robust"] == "robust"
    hessian = {c["choice"]: c for c in rows["hessian-deg2-nonvanishing"]["sensitivity"]}
    assert hessian["loss convention"]["robust"] == "robust"  # a factor ½ on every norm moves no exponent
