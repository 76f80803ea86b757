"""Every claim check can pass and can fail: synthetic artifacts for each, plus the verdict rules."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.claims import CLAIMS, CLAIMS_BY_ID, evaluate_claims, write_claims
from pinnlab.claims.artifacts import artifact_paths
from pinnlab.layout import Layout

METHODS = ("pinn_ntk", "pcpinn", "adam", "adam_lbfgs", "gdnd", "pcpinn_gdnd")
# L2RE cells under which every Table-2 claim passes (see each check's rule)
GOOD_T2 = {
    "convection": (2.0, 0.05, 0.06, 0.004, 0.002, 0.001),
    "wave": (0.1, 0.013, 0.35, 0.055, 0.0127, 0.01),
    "reaction": (0.0144, 0.015, 0.021, 0.019, 0.0099, 0.005),
    "burgers": (0.018, 0.013, 0.0145, 0.0133, 0.012, 0.011),
    "heat2d_lt": (1.0, 0.02, 0.999, 1.0, 0.5, 0.3),
}
WIDTHS = (100, 1000, 10000)


def table2(cells):
    return pd.DataFrame([{"pde": p, "method": m, "ours_best": v, "ours_median": v, "status": "ok"}
                         for p, values in cells.items() for m, v in zip(METHODS, values)])


def fig1a(drift):  # drift: pde -> function of width giving the final ΔK
    rows = []
    for pde, f in drift.items():
        for w in WIDTHS:
            for seed in (0, 1):
                for step, frac in ((0, 0.0), (500, 1.0)):
                    rows += [{"pde": pde, "width": w, "seed": seed, "step": step, "kernel": k, "norm": n,
                              "delta_k": frac * f(w), "status": "ok"}
                             for k in ("rr", "uu") for n in ("spectral", "frobenius")]
    return pd.DataFrame(rows)


def width_limit(f):
    return pd.DataFrame([{"pde": p, "width": w, "seed": s, "init": i, "k0_spread": f(w), "delta_k_spectral": f(w)}
                         for p in ("poisson1d", "wave") for w in WIDTHS for s in (0, 1) for i in ("glorot", "lecun")])


def eigenvalues(res_top):
    rows = []
    for pde, blocks in (("poisson1d", ("res", "bc")), ("wave", ("res", "ic", "ic_t", "bc_x0", "bc_x1"))):
        for seed in (0, 1):
            for block in blocks:
                top = res_top if block == "res" else 10.0
                rows += [{"pde": pde, "width": 100, "seed": seed, "init": "lecun", "block": block, "index": i,
                          "eigenvalue": top / (i + 1) ** 2} for i in range(4)]
    return pd.DataFrame(rows)


def fig1b(norms):  # pde -> function of width
    return pd.DataFrame([{"pde": p, "width": w, "seed": s, "hessian_norm": f(w)}
                         for p, f in norms.items() for w in WIDTHS for s in (0, 1)])


def newton(minima):
    return pd.DataFrame([{"problem": p, "method": "newton", "minimum": minima, "saddle": 6 - minima,
                          "not converged": 0, "diverged": 4} for p in ("poisson1d, a=1", "convection, beta=5")])


def kg_errors(l2re, wall):
    return pd.DataFrame([{"model": m, "l2re_median": l2re[m], "best_logged_l2re": l2re[m] * 0.8,
                          "wall_time_s": wall[m]} for m in l2re])


def kg_curves(m1_end, bcs_final, ics_settle):
    steps = np.arange(0, 40001, 1000)
    rows = []
    for seed in (0, 1):
        for s in steps:
            m1 = 0.2 if s >= 5000 else 1.0
            rows.append({"model": "M1", "seed": seed, "step": s, "l2re": m1 * (m1_end if s == steps[-1] else 1),
                         "weight_ics": 1.0, "weight_bcs": 1.0})
            rows.append({"model": "M2", "seed": seed, "step": s, "l2re": 0.01,
                         "weight_ics": 40.0 if s >= ics_settle else 1 + s / 100,
                         "weight_bcs": bcs_final * min(1.0, 0.3 + s / 20000)})
    return pd.DataFrame(rows)


GOOD = {
    "table2": table2(GOOD_T2),
    "fig1a": fig1a({"reaction": lambda w: 0.5, "burgers": lambda w: 0.4, "convection": lambda w: 0.05}),
    "ntk_width_limit": width_limit(lambda w: 1.0 / w),
    "ntk_eigenvalues": eigenvalues(1e4),
    "fig1b": fig1b({"reaction": lambda w: 10.0, "burgers": lambda w: 5.0, "convection": lambda w: 100.0,
                    "wave": lambda w: 100.0 / w}),
    "newton": newton(1),
    "kleingordon_errors": kg_errors({"M1": 0.2, "M2": 0.01, "M3": 0.02, "M4": 0.002},
                                    {"M1": 100.0, "M2": 105.0, "M3": 150.0, "M4": 160.0}),
    "kleingordon_curves": kg_curves(m1_end=1.0, bcs_final=250.0, ics_settle=2000),
}


def _t2_with(**changes):
    cells = {p: list(v) for p, v in GOOD_T2.items()}
    for key, value in changes.items():
        pde, method = key.split("__")
        for p in (cells if pde == "all" else [pde]):
            cells[p][METHODS.index(method)] = value(cells[p][METHODS.index(method)]) if callable(value) else value
    return table2(cells)


def _scaled(*methods, factor):
    cells = {p: [v * factor if m in methods else v for m, v in zip(METHODS, values)] for p, values in GOOD_T2.items()}
    return table2(cells)


# claim -> the artifact that breaks it (name, table)
BAD = {
    "ntk-nonlinear-drift": ("fig1a", fig1a({"reaction": lambda w: 0.5, "burgers": lambda w: 40 / w,
                                            "convection": lambda w: 0.05})),
    "ntk-convection-constant": ("fig1a", fig1a({"reaction": lambda w: 0.5, "burgers": lambda w: 0.4,
                                                "convection": lambda w: 0.9})),
    "ntk-linear-lazy": ("ntk_width_limit", width_limit(lambda w: 1.0)),
    "ntk-rate-discrepancy": ("ntk_eigenvalues", eigenvalues(30.0)),
    "hessian-deg2-nonvanishing": ("fig1b", fig1b({"reaction": lambda w: 1e4 / w ** 2, "burgers": lambda w: 5.0,
                                                  "convection": lambda w: 100.0, "wave": lambda w: 100.0 / w})),
    "hessian-linear-not-necessarily-vanishing": ("fig1b", fig1b({"reaction": lambda w: 10.0, "burgers": lambda w: 5.0,
                                                                 "convection": lambda w: 1e4 / w,
                                                                 "wave": lambda w: 100.0 / w})),
    "ntk-beats-adam-reaction": ("table2", _t2_with(reaction__pinn_ntk=0.5)),
    "ntk-generally-better": ("table2", _scaled("pinn_ntk", "pcpinn", factor=100)),
    "ntk-fails-convection": ("table2", _t2_with(convection__pinn_ntk=0.1)),
    "pcpinn-heat-order-of-magnitude": ("table2", _t2_with(heat2d_lt__pcpinn=0.4)),
    "gdnd-lowest": ("table2", _t2_with(convection__gdnd=0.1)),
    "first-order-ok-nonlinear": ("table2", _t2_with(reaction__adam=0.5)),
    "pcpinn-gdnd-similar": ("table2", _t2_with(wave__pcpinn=0.1)),
    "second-order-not-necessary": ("table2", _t2_with(burgers__adam=0.145, burgers__pinn_ntk=0.18,
                                                      burgers__pcpinn=0.13)),
    "pcpinn-gdnd-combined": ("table2", _t2_with(all__pcpinn_gdnd=1.0)),
    "annealing-kg-error": ("kleingordon_errors", kg_errors({"M1": 0.2, "M2": 0.05, "M3": 0.02, "M4": 0.002},
                                                          {"M1": 100.0, "M2": 105.0, "M3": 150.0, "M4": 160.0})),
    "annealing-kg-weights": ("kleingordon_curves", kg_curves(m1_end=1.0, bcs_final=20.0, ics_settle=2000)),
    "annealing-kg-stall": ("kleingordon_curves", kg_curves(m1_end=0.1, bcs_final=250.0, ics_settle=2000)),
    "annealing-overhead": ("kleingordon_errors", kg_errors({"M1": 0.2, "M2": 0.01, "M3": 0.02, "M4": 0.002},
                                                          {"M1": 100.0, "M2": 140.0, "M3": 150.0, "M4": 160.0})),
    "annealing-50-100x": ("kleingordon_errors", kg_errors({"M1": 0.2, "M2": 0.01, "M3": 0.02, "M4": 0.02},
                                                         {"M1": 100.0, "M2": 105.0, "M3": 150.0, "M4": 160.0})),
    "exact-newton-fails": ("newton", newton(5)),
}


def write(tmp_path, tables, scale="paper") -> dict:
    """The artifacts ``tables`` written where the DAG writes them; every artifact's path."""
    paths = artifact_paths(Layout(results=str(tmp_path / "results"), figures=str(tmp_path / "figures")), scale)
    for name, df in tables.items():
        Path(paths[name]).parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(paths[name], index=False)
    return paths


def verdicts(tmp_path, tables, scale="paper"):
    return {r["id"]: r for r in evaluate_claims(write(tmp_path, tables, scale), scale)}


def test_every_claim_of_the_reference_list_is_registered_and_has_a_failing_case():
    assert set(BAD) == set(CLAIMS_BY_ID) and len(CLAIMS) == 21


def test_good_artifacts_reproduce_every_claim(tmp_path):
    rows = verdicts(tmp_path, GOOD)
    assert {k: r["verdict"] for k, r in rows.items() if r["verdict"] != "reproduced"} == {}


@pytest.mark.parametrize("claim", sorted(BAD))
def test_each_check_can_fail(tmp_path, claim):
    name, table = BAD[claim]
    rows = verdicts(tmp_path, GOOD | {name: table})
    assert rows[claim]["verdict"] == "not reproduced", rows[claim]["evidence"]
    assert rows[claim]["outcome"] == "fail"


def test_missing_artifacts_are_not_yet_evaluated(tmp_path):
    rows = verdicts(tmp_path, {k: v for k, v in GOOD.items() if not k.startswith("kleingordon")})
    kg = [r for r in rows.values() if r["id"].startswith("annealing")]
    assert kg and all(r["verdict"] == "not yet evaluated" and "missing artifact" in r["evidence"] for r in kg)
    assert rows["exact-newton-fails"]["verdict"] == "reproduced"


def test_scale_decides_conclusiveness_but_the_outcome_is_shown(tmp_path):
    quick = verdicts(tmp_path, GOOD, scale="quick")
    assert quick["gdnd-lowest"]["verdict"] == "inconclusive at this scale"  # Table 2 needs the paper budget
    assert quick["gdnd-lowest"]["outcome"] == "pass" and "2,000" in quick["gdnd-lowest"]["scale_reason"]
    assert quick["exact-newton-fails"]["verdict"] == "reproduced"  # the quick Newton study decides it
    smoke = verdicts(tmp_path, GOOD, scale="smoke")
    assert {r["verdict"] for r in smoke.values()} == {"inconclusive at this scale"}


def test_cells_not_run_make_a_table2_claim_inconclusive(tmp_path):
    t2 = GOOD["table2"].copy()
    t2.loc[t2.method == "pcpinn", "status"] = "not run"
    rows = verdicts(tmp_path, GOOD | {"table2": t2})
    assert rows["pcpinn-heat-order-of-magnitude"]["verdict"] == "inconclusive at this scale"
    assert "no runs of pcpinn" in rows["pcpinn-heat-order-of-magnitude"]["evidence"]


def test_report_files(tmp_path):
    rows = write_claims(write(tmp_path, GOOD, "quick"), "quick", tmp_path / "claims.md", tmp_path / "claims.json")
    md = (tmp_path / "claims.md").read_text()
    assert md.count("\n| `") == len(CLAIMS) == len(rows)
    assert "snakemake --cores 2 table2 --config scale=quick" in md and "(table2_l2re.md)" in md
    assert "## Contradictions inside the sources" in md and "β = 4" in md
    data = json.loads((tmp_path / "claims.json").read_text())
    assert data["scale"] == "quick" and len(data["claims"]) == len(CLAIMS)


def test_a_table2_with_only_some_pdes_is_inconclusive_not_an_error(tmp_path):
    """The smoke Table 2 runs three PDEs: claims about the others are inconclusive, never a crash."""
    t2 = GOOD["table2"]
    rows = verdicts(tmp_path, GOOD | {"table2": t2[t2.pde.isin(["convection", "wave", "heat2d_lt"])]})
    for claim in ("first-order-ok-nonlinear", "second-order-not-necessary", "ntk-beats-adam-reaction",
                  "ntk-generally-better", "pcpinn-gdnd-combined"):
        assert rows[claim]["verdict"] == "inconclusive at this scale", claim
    assert rows["gdnd-lowest"]["verdict"] == "inconclusive at this scale"
