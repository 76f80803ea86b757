"""The study jobs without Snakemake (smoke scale): Fig. 1b's Hessian norms, the NTK spectra, the exact-Newton study,
the PCPINN conditioning table, a reference solution, a Hessian density after training and the NNCG comparison.
Each is called as its rule calls it (``workflow/rules/*.smk``), and its tables are checked for what must hold."""

import hashlib
import json
from pathlib import Path

import jax
import numpy as np
import pandas as pd
import pytest

from pinnlab.config import protocol, scale_config
from pinnlab.evaluate import load_reference
from pinnlab.job import make_job
from pinnlab.layout import continued_key, hessian_density_run, nncg_comparison_runs
from pinnlab.pdes import make_pde, pde_from_config, tensor_grid

from .conftest import SCALE, reference_job


@pytest.fixture(scope="module")
def smoke(smoke_cfg):
    return scale_config(smoke_cfg, SCALE)


def test_fig1b_norms_one_positive_norm_per_width_and_seed(smoke_cfg, smoke, layout):
    """``<pde>.csv``: one row per width × seed of the ``fig1b`` block; the norm is the largest |Ritz value|, > 0,
    of a one-hidden-layer network (4m + 1 parameters on a PDE in (x, t))."""
    from pinnlab.experiments.fig1b import fig1b_norms

    block, pde = smoke["fig1b"], smoke["fig1b"]["pdes"][0]
    csv = layout.result(SCALE, "fig1b", f"{pde}.csv")
    returned = fig1b_norms(make_job(smoke_cfg, wildcards={"scale": SCALE, "pde": pde}, output={"csv": csv},
                                    params={"block": block, "points": smoke["protocols"][pde]["points"]},
                                    rule="fig1b_norms"))
    table = pd.read_csv(csv)
    pd.testing.assert_frame_equal(table, returned, check_dtype=False)
    expected = sorted((w, s) for w in block["widths"] for s in range(block["seeds"]))
    assert sorted(zip(table.width, table.seed)) == expected
    assert (table.pde == pde).all() and (table.lanczos_iterations == block["lanczos_iterations"]).all()
    assert (table.loss_convention == smoke_cfg["loss_convention"]).all()
    assert np.isfinite(table.hessian_norm).all() and (table.hessian_norm > 0).all()
    assert np.allclose(table.hessian_norm, np.maximum(table.ritz_min.abs(), table.ritz_max.abs()))
    assert (table.ritz_min <= table.ritz_max).all()
    assert (table.parameters == 4 * table.width + 1).all()  # (x, t) -> m tanh units -> u
    assert (table.n_res == smoke["protocols"][pde]["points"]["n_res"]).all()


def test_ntk_spectra_tables(smoke_cfg, smoke, layout):
    """``eigenvalues.csv``: per setup, seed and diagonal block of the kernel, one eigenvalue per point (descending,
    ≥ 0 up to rounding) at the spectrum width, and the block's trace from per-sample gradients (Algorithm 1's path),
    equal to the eigenvalues' sum; ``width_limit.csv``: one row per width × seed, gradient descent lowering the
    loss."""
    from pinnlab.experiments.ntk_spectra import ntk_spectra

    block = smoke["ntk_spectra"]
    out = {name: layout.result(SCALE, "ntk_spectra", f"{name}.csv") for name in ("eigenvalues", "width_limit")}
    ntk_spectra(make_job(smoke_cfg, wildcards={"scale": SCALE}, output=out, params={"block": block},
                         rule="ntk_spectra"))

    eig = pd.read_csv(out["eigenvalues"])
    assert list(eig.columns) == ["pde", "setup", "init", "input_normalization", "width", "seed", "block", "n_points",
                                 "trace", "index", "eigenvalue"]
    problems = [make_pde(p["pde"], **p["constants"]) for p in block["problems"]]
    assert set(eig.pde) == {p.name for p in problems}
    setups = {s["name"]: (s["init"], s["input_normalization"]) for s in block["setups"]}
    assert {(s, (i, n)) for s, i, n in zip(eig.setup, eig.init, eig.input_normalization)} == set(setups.items())
    assert (eig.width == block["spectrum_width"]).all() and set(eig.seed) == set(range(block["seeds"]))
    for pde in problems:
        assert set(eig[eig.pde == pde.name].block) == set(pde.term_names())
    per_condition = {p.name: max(1, block["n_conditions"] // len(p.conditions())) for p in problems}
    for (pde, _, _, term), b in eig.groupby(["pde", "setup", "seed", "block"]):
        assert len(b) == (block["n_res"] if term == "res" else per_condition[pde])  # one eigenvalue per point
        assert (b.n_points == len(b)).all() and list(b["index"]) == list(range(len(b)))
        assert (np.diff(b.eigenvalue) <= 0).all()
        assert b.eigenvalue.min() >= -1e-6 * b.eigenvalue.max() and b.eigenvalue.max() > 0
        assert b.trace.nunique() == 1 and b.trace.iloc[0] == pytest.approx(b.eigenvalue.sum(), rel=1e-4)
    # the setups differ in the network only: the same seed gives other kernels
    distinct = eig.groupby(["pde", "seed", "block", "setup"]).trace.first().groupby(["pde", "seed", "block"]).nunique()
    assert (distinct == len(setups)).all()

    wl = pd.read_csv(out["width_limit"])
    assert {"pde", "width", "seed", "init", "lr", "loss_start", "loss_end", "delta_k_spectral", "delta_k_frobenius",
            "param_change", "k0_spread"} <= set(wl.columns)
    per_problem = [(w, s) for w in block["widths"] for s in range(block["seeds"])]
    assert len(wl) == len(per_problem) * len(problems) * len(block["inits"])
    assert sorted(zip(wl.width, wl.seed)) == sorted(per_problem * len(problems) * len(block["inits"]))
    assert (wl.lr > 0).all() and (wl.loss_end < wl.loss_start).all()
    assert (wl.delta_k_spectral > 0).all() and (wl.k0_spread > 0).all() and (wl.param_change > 0).all()


def test_newton_study_tables(smoke_cfg, smoke, layout):
    """``runs.csv`` (problem × method × seed), ``traces.csv`` (iterations + 1 losses a run, starting from the same
    initial loss for every method of a seed) and ``outcomes.csv`` (counts summing to the seeds per method)."""
    from pinnlab.experiments.newton import METHODS, OUTCOMES, newton_study

    block = smoke["newton"]
    out = {name: layout.result(SCALE, "newton", f"{name}.csv") for name in ("runs", "traces", "outcomes")}
    newton_study(make_job(smoke_cfg, wildcards={"scale": SCALE}, output=out, params={"block": block},
                          rule="newton_study"))
    runs, traces, outcomes = (pd.read_csv(out[name]) for name in ("runs", "traces", "outcomes"))
    n_problems, seeds = len(block["problems"]), block["seeds"]

    assert len(runs) == n_problems * len(METHODS) * seeds
    assert all(sorted(g.seed) == list(range(seeds)) for _, g in runs.groupby(["problem", "method"]))
    assert list(dict.fromkeys(runs.method)) == list(METHODS)
    assert set(runs.outcome) <= set(OUTCOMES)
    assert runs.groupby(["problem", "seed"]).initial_loss.nunique().eq(1).all()  # the same start for every method
    # the trivial losses and the best loss are properties of a seed's points and start, the same for every method
    assert runs.groupby(["problem", "seed"])[["trivial_loss_affine", "best_loss"]].nunique().eq(1).all().all()
    assert (runs.trivial_loss_affine <= runs.trivial_loss_constant * (1 + 1e-12)).all()  # constants are affine
    assert (runs.eig_min <= runs.eig_max).all()

    assert len(traces) == len(runs) * (block["iterations"] + 1)
    first = traces[traces.iteration == 0].merge(runs, on=["problem", "method", "seed"])
    assert np.allclose(first.loss, first.initial_loss)
    last = traces[traces.iteration == block["iterations"]].merge(runs, on=["problem", "method", "seed"])
    assert np.allclose(last.loss, last.final_loss, equal_nan=True)

    assert list(outcomes.columns[:2]) == ["problem", "method"] and set(OUTCOMES) <= set(outcomes.columns)
    assert list(outcomes.method) == list(METHODS) * n_problems
    assert (outcomes[list(OUTCOMES)].sum(axis=1) == seeds).all()
    counted = runs.groupby(["problem", "method", "outcome"]).size()
    for _, row in outcomes.iterrows():
        for outcome in OUTCOMES:
            assert row[outcome] == counted.get((row.problem, row.method, outcome), 0)


def test_reference_of_convection_is_its_exact_solution(smoke_cfg, layout, reference_of):
    """``<pde>.npz`` holds the exact solution on the PDE's evaluation grid; the sidecar says how it was made and
    carries the npz's SHA-256."""
    npz, sidecar = Path(reference_of("convection")), Path(layout.reference("convection", "json"))
    pde = pde_from_config(smoke_cfg, "convection")
    ref = load_reference(npz)
    axes = pde.eval_axes()
    assert ref.grid_values.shape == tuple(len(a) for a in axes)
    for got, want in zip(ref.axes, axes):
        np.testing.assert_array_equal(got, np.asarray(want))
    with jax.enable_x64(True):
        exact = np.asarray(jax.vmap(pde.exact)(jax.numpy.asarray(tensor_grid(axes)))).reshape(ref.grid_values.shape)
    np.testing.assert_allclose(ref.grid_values, exact, rtol=0, atol=1e-12)
    assert np.abs(exact).max() > 0.5  # a solution, not zeros
    info = json.loads(sidecar.read_text())
    assert info["pde"] == "convection" and "exact" in info["method"]
    assert info["constants"] == vars(pde)
    assert info["sha256"] == hashlib.sha256(npz.read_bytes()).hexdigest()


def test_reference_takes_the_configured_constants(smoke_cfg, tmp_path):
    """The rule passes ``pde_constants`` (wave: β = 5) to the job: the sidecar records them."""
    from pinnlab.experiments.reference import reference
    from pinnlab.layout import Layout

    job = reference_job(smoke_cfg, Layout(references=str(tmp_path)), "wave")
    info = reference(job)
    assert info["constants"]["beta"] == smoke_cfg["pde_constants"]["wave"]["beta"] == 5
    assert json.loads(Path(job.output.json).read_text()) == info and Path(job.output.npz).exists()


def test_pcpinn_conditioning_table(smoke_cfg, smoke, layout, reference_of):
    """One row per smoke Table-2 PDE, in order: ILU preconditioning lowers the condition number, κ(P⁻¹A) < κ(A);
    the finite-difference floor is a finite error; the markdown holds the table."""
    from pinnlab.experiments.pcpinn_conditioning import SHOWN, pcpinn_conditioning

    pdes = smoke["table2"]["pdes"]
    out = {"csv": layout.figure(SCALE, "pcpinn_conditioning.csv"), "md": layout.figure(SCALE, "pcpinn_conditioning.md")}
    pcpinn_conditioning(make_job(smoke_cfg, wildcards={"scale": SCALE}, output=out, rule="pcpinn_conditioning",
                                 input={"references": [reference_of(p) for p in pdes]},
                                 params={"pcpinn": {p: smoke["protocols"][p]["pcpinn"] for p in pdes}}))
    table = pd.read_csv(out["csv"])
    assert list(table.pde) == [pde_from_config(smoke_cfg, p).name for p in pdes]
    assert set(SHOWN) <= set(table.columns)
    assert (table.cond_A > 1).all() and (table.cond_PinvA < table.cond_A).all() and (table.cond_PinvA >= 1 - 1e-9).all()
    # the smoke grids are coarse (convection's Crank–Nicolson solution on 16 × 11 is ≈ 1.2 off): a sanity bound only
    assert np.isfinite(table.fd_l2re).all() and (table.fd_l2re > 0).all() and (table.fd_l2re < 1.5).all()
    for row, p in zip(table.itertuples(), pdes):
        grid = smoke["protocols"][p]["pcpinn"]["grid"]
        assert row.grid == "×".join(map(str, grid)) and row.unknowns == np.prod(grid)
    md = Path(out["md"]).read_text()
    assert md.startswith(f"# PCPINN preconditioner ({SCALE} scale)") and all(p in md for p in table.pde)


def test_hessian_density_after_adam(smoke_cfg, smoke, layout, table2_runs):
    """``<method>.csv`` (eigenvalue, density > 0, integrating to 1 where stored) and ``<method>_ritz.csv`` (runs ×
    Lanczos iterations nodes, weights summing to 1 per run) at the final parameters of the smoke Adam run."""
    from pinnlab.experiments.hessian_density import hessian_density

    block, pde, method = smoke["hessian_density"], smoke["hessian_density"]["pdes"][0], "adam"
    key = hessian_density_run(smoke_cfg, SCALE, pde, method)
    assert table2_runs(pde, method, key.seed) == key
    parent = continued_key(key)
    out = {"csv": layout.result(SCALE, "hessian_density", pde, f"{method}.csv"),
           "ritz": layout.result(SCALE, "hessian_density", pde, f"{method}_ritz.csv")}
    hessian_density(make_job(
        smoke_cfg, wildcards={"scale": SCALE, "pde": pde, "method": method}, output=out, rule="hessian_density",
        input={"summary": layout.run(key), "params": layout.run(key, "params"),
               **({"continues": layout.run(parent)} if parent else {})},
        params={"block": block}))

    density = pd.read_csv(out["csv"])
    assert list(density.columns) == ["eigenvalue", "density", "pde", "method"]
    assert (density.pde == pde).all() and (density.method == method).all()
    assert np.isfinite(density.eigenvalue).all() and (density.density > 0).all()
    assert density.eigenvalue.is_monotonic_increasing
    step = np.diff(density.eigenvalue).min()
    assert (density.density * step).sum() == pytest.approx(1.0, rel=1e-2)

    ritz = pd.read_csv(out["ritz"])
    assert list(ritz.columns) == ["run", "node", "weight", "pde", "method"]
    assert sorted(set(ritz.run)) == list(range(block["runs"]))
    assert (ritz.groupby("run").size() == block["lanczos_iterations"]).all()
    assert (ritz.weight >= 0).all() and np.allclose(ritz.groupby("run").weight.sum(), 1.0, atol=1e-4)
    assert density.eigenvalue.min() <= ritz.node.min() and ritz.node.max() <= density.eigenvalue.max()
    assert ritz.node.max() > 0  # a trained PINN loss has positive curvature


def test_nncg_comparison_continues_the_adam_lbfgs_run(smoke_cfg, smoke, layout, table2_runs, reference_of):
    """``traces.csv``: both settings start at the Adam+L-BFGS run's final loss and run their steps with bounded CG
    iterations and growing wall time; ``summary.csv``: the faithful setting reaches its own final loss, and every
    setting is read at the faithful run's budget."""
    from pinnlab.experiments.nncg import SETTINGS, nncg_comparison

    block = smoke["nncg_comparison"]
    keys = nncg_comparison_runs(smoke_cfg, SCALE)
    pde = block["pdes"][0]
    assert [table2_runs(p, "adam_lbfgs", 0) for p in block["pdes"]] == keys
    out = {"traces": layout.result(SCALE, "nncg_comparison", "traces.csv"),
           "summary": layout.result(SCALE, "nncg_comparison", "summary.csv")}
    nncg_comparison(make_job(smoke_cfg, wildcards={"scale": SCALE}, output=out, rule="nncg_comparison",
                             input={"parents": [layout.run(k) for k in keys],
                                    "references": [reference_of(p) for p in block["pdes"]]},
                             params={"block": block}))

    traces = pd.read_csv(out["traces"])
    assert list(dict.fromkeys(traces.setting)) == list(SETTINGS) == ["faithful", "inexact"]
    parent_loss = pd.read_csv(layout.run(keys[0], "metrics")).loss.iloc[-1]
    base = protocol(smoke_cfg, SCALE, pde)["nncg"]
    for setting, t in traces.groupby("setting"):
        settings = base | block[setting]
        assert list(t.iteration) == list(range(settings["steps"] + 1))
        assert t.loss.iloc[0] == pytest.approx(parent_loss, rel=1e-5)  # the same start: the parent's final state
        assert np.isfinite(t.loss).all() and (t.loss.iloc[-1] <= t.loss.iloc[0] * (1 + 1e-6))
        assert t.wall_time_s.iloc[0] == 0 and t.wall_time_s.is_monotonic_increasing
        assert t.cg_iterations.iloc[0] == 0
        assert (t.cg_iterations.iloc[1:] >= 1).all() and (t.cg_iterations <= settings["cg_maxiter"]).all()
        assert t.l2re.between(0, 10).all()

    summary = pd.read_csv(out["summary"]).set_index("setting")
    assert list(summary.index) == ["faithful", "inexact"] and (summary.pde == pde).all()
    faithful = traces[traces.setting == "faithful"]
    assert np.allclose(summary.target_loss, faithful.loss.iloc[-1])
    assert np.isclose(summary.final_loss["faithful"], faithful.loss.iloc[-1])
    # the faithful run read at its own budget is its end; the inexact one at the faithful run's iteration count
    assert summary.loss_at_faithful_time["faithful"] == summary.final_loss["faithful"]
    inexact = traces[traces.setting == "inexact"].set_index("iteration")
    n = summary.iterations["faithful"]
    assert summary.loss_at_faithful_iterations["inexact"] == pytest.approx(inexact.loss[n])
    assert summary.l2re_at_faithful_iterations["inexact"] == pytest.approx(inexact.l2re[n])
    assert summary.iterations_to_target["faithful"] <= summary.iterations["faithful"]
    assert np.isfinite(summary.seconds_to_target["faithful"]) and summary.speedup_vs_faithful["faithful"] == 1
