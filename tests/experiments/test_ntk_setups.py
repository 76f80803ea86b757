"""W22's setup for the NTK spectra: on a small Poisson-1D problem the trace ratio Tr(K_rr)/Tr(K_uu) with their input
scaling and without it, both computed from the same parameters (``pinnlab.experiments.ntk_spectra.block_spectra``,
read as the claim ``ntk-rate-discrepancy`` reads it)."""

import jax
import numpy as np
import pandas as pd

from pinnlab.claims.ntk import rate_ratios
from pinnlab.experiments.ntk_spectra import block_spectra
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde

W22 = {"name": "w22", "init": "lecun", "input_normalization": "standardize"}
UNSCALED = {"name": "lecun_unscaled", "init": "lecun", "input_normalization": "none"}


def test_w22_trace_ratio_with_and_without_their_input_scaling():
    """Standardising x ∈ [0, 1] (s = √12) puts a factor s⁴ = 144 into K_rr (u_xx = s² u_zz) and none into K_uu:
    the ratio moves by more than a factor of 10 at every seed."""
    pde = make_pde("poisson1d", a=4.0)
    width, n, seeds = 16, 16, range(3)
    for seed in seeds:  # the two setups share every parameter: only the input map differs
        a = make_network(1, width, 1, seed, lower=pde.lower, upper=pde.upper, input_normalization="standardize",
                         init="lecun")[1]
        b = make_network(1, width, 1, seed, init="lecun")[1]
        assert all(np.array_equal(x, y) for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)))
    eig = pd.concat([block_spectra(pde, width, seeds, n, n, setup) for setup in (W22, UNSCALED)])
    ratios = rate_ratios(eig).pivot(index="seed", columns="setup", values="trace_ratio")
    assert list(ratios.index) == list(seeds) and np.isfinite(ratios.to_numpy()).all() and (ratios > 0).all().all()
    assert (ratios.w22 > 10 * ratios.lecun_unscaled).all(), ratios
