"""``ntk-rate-discrepancy``: the trace ratio Tr(K_rr)/Tr(K_uu) of W22's setup decides, seed by seed; λ_max and the
other setups are reported, not deciding."""

import numpy as np
import pandas as pd
import pytest

from pinnlab.claims.artifacts import Artifacts, Inconclusive, MissingArtifact
from pinnlab.claims.ntk import RATE_GAP, check_rate_discrepancy, rate_ratios

SETUPS = {"w22": ("lecun", "standardize"), "glorot_unscaled": ("glorot", "none")}


def table(ratios: dict, n_b: int = 4) -> pd.DataFrame:
    """Poisson-1D blocks: per setup a list of per-seed Tr(K_rr)/Tr(K_uu); K_rr has a flat spectrum over 4 points,
    K_uu all its trace in one eigenvalue (rank 1, as two boundary points make it nearly)."""
    rows = []
    for setup, per_seed in ratios.items():
        init, scaling = SETUPS[setup]
        for seed, r in enumerate(per_seed):
            for block, eig in (("res", np.full(4, r / 4)), ("bc", np.r_[1.0, np.zeros(n_b - 1)])):
                rows += [{"pde": "poisson1d", "setup": setup, "init": init, "input_normalization": scaling,
                          "width": 100, "seed": seed, "block": block, "n_points": len(eig), "trace": eig.sum(),
                          "index": i, "eigenvalue": e} for i, e in enumerate(eig)]
    return pd.DataFrame(rows)


def check(tmp_path, df):
    path = tmp_path / "eigenvalues.csv"
    df.to_csv(path, index=False)
    return check_rate_discrepancy(Artifacts({"ntk_eigenvalues": path}, "quick"))


def test_ratios_are_traces_and_largest_eigenvalues():
    r = rate_ratios(table({"w22": [80.0, 120.0]})).set_index("seed")
    assert list(r.trace_ratio) == pytest.approx([80.0, 120.0])
    assert list(r.lambda_max_ratio) == pytest.approx([20.0, 30.0])  # K_rr's trace spread over 4 eigenvalues
    assert (r.n_r == 4).all() and (r.n_b == 4).all()


def test_every_seed_above_the_gap_reproduces_and_every_seed_below_does_not(tmp_path):
    ok = check(tmp_path, table({"w22": [2 * RATE_GAP, 20 * RATE_GAP], "glorot_unscaled": [0.01, 0.02]}))
    assert ok.passed and ok.numbers["w22.trace_ratio_min"] == pytest.approx(2 * RATE_GAP)
    assert "glorot_unscaled" in ok.text and ok.numbers["glorot_unscaled.trace_ratio_max"] == pytest.approx(0.02)
    # the deciding quantity is the trace ratio: a λ_max ratio below the gap does not make it fail
    assert ok.numbers["w22.lambda_max_ratio_median"] < 10 * RATE_GAP
    bad = check(tmp_path, table({"w22": [0.5 * RATE_GAP, 0.9 * RATE_GAP], "glorot_unscaled": [1e3, 1e3]}))
    assert not bad.passed  # the other setup never rescues it


@pytest.mark.parametrize(("df", "reason"), [
    (table({"w22": [0.5 * RATE_GAP, 3 * RATE_GAP]}), "both sides"),
    (table({"w22": [3 * RATE_GAP]}), "one seed"),
    (table({"w22": [3 * RATE_GAP, 3 * RATE_GAP]}, n_b=6), "N_r ≠ N_b"),
    (table({"glorot_unscaled": [3 * RATE_GAP, 3 * RATE_GAP]}), "W22's network"),
])
def test_what_cannot_decide_is_inconclusive(tmp_path, df, reason):
    with pytest.raises(Inconclusive, match=reason):
        check(tmp_path, df)


def test_a_table_without_traces_is_missing(tmp_path):
    with pytest.raises(MissingArtifact, match="re-make it with `snakemake --cores 2 ntk --config scale="):
        check(tmp_path, table({"w22": [3 * RATE_GAP] * 2}).drop(columns="trace"))
