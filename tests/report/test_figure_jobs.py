"""The draw jobs without Snakemake, on small synthetic artifacts in the formats their compute rules write (no
training): Fig. 1b, the exact-Newton figure, the NNCG time to loss, the NTK spectra and the Hessian
densities. Each writes its PDF with a PNG beside it, and its tables hold the rows of its inputs."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinnlab.job import make_job

SCALE = "smoke"
PDES = ("convection", "wave")
WIDTHS = (8, 32)
SEEDS = (0, 1)


def assert_figure(pdf) -> None:
    """A real PDF and, beside it, a real PNG (``pinnlab.report.style.save``)."""
    pdf = Path(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 1000, pdf
    png = pdf.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000, png


@pytest.fixture
def figures(tmp_path):
    """The figures folder, made as Snakemake makes its outputs' folders before a job starts."""
    folder = tmp_path / "figures" / SCALE
    folder.mkdir(parents=True)
    return folder


def fig1b_row(pde, width, seed, gauss_newton):
    """A row as ``fig1b_norms`` writes it: ∇²L_r = G + R, here with ‖R‖ a tenth of ‖G‖."""
    curvature = gauss_newton / 10
    return {"pde": pde, "width": width, "seed": seed, "parameters": 4 * width + 1,
            "hessian_norm": gauss_newton + curvature, "ritz_min": -1.0, "ritz_max": gauss_newton + curvature,
            "gauss_newton_norm": gauss_newton, "curvature_norm": curvature, "curvature_ritz_min": -curvature,
            "curvature_ritz_max": curvature / 2, "residual_rms": 2.0, "curvature_per_residual": curvature / 4,
            "n_res": 128, "loss_convention": "mean", "lanczos_iterations": 10, "x64": False}


def test_fig1b_figure(tmp_path, figures):
    """``fig1b_hessian_norm.csv``: every PDE's norms and their G/R parts (one CSV per PDE from ``fig1b_norms``) in
    one table."""
    from pinnlab.report.fig1b import fig1b_figure

    csvs = []
    for i, pde in enumerate(PDES):
        path = tmp_path / f"{pde}.csv"
        pd.DataFrame([fig1b_row(pde, w, s, (i + 1) * w * (1 + s)) for w in WIDTHS for s in SEEDS]
                     ).to_csv(path, index=False)
        csvs.append(str(path))
    out = {name: str(figures / f"fig1b_hessian_norm.{name}") for name in ("csv", "pdf", "png")}
    fig1b_figure(make_job({}, wildcards={"scale": SCALE}, input={"csvs": csvs}, output=out, rule="fig1b_figure"))
    table = pd.read_csv(out["csv"])
    pd.testing.assert_frame_equal(table, pd.concat([pd.read_csv(c) for c in csvs], ignore_index=True))
    assert list(dict.fromkeys(table.pde)) == list(PDES) and len(table) == len(PDES) * len(WIDTHS) * len(SEEDS)
    assert_figure(out["pdf"])


def test_newton_figure(tmp_path, figures):
    """``newton_outcomes.{csv,md}``: the study's outcome counts per problem and method, unchanged."""
    from pinnlab.experiments.newton import METHODS, OUTCOMES, StudySettings, outcome_table
    from pinnlab.report.newton import OUTCOME_COLORS, newton_figure

    assert tuple(OUTCOME_COLORS) == OUTCOMES  # the report repeats the study's classes (it never imports it)
    problems, seeds, iterations = ("poisson1d, a=1", "convection, beta=5"), (0, 1, 2), 6
    ending = {"newton": "trivial solution", "damped_newton": "minimum", "gauss_newton": "minimum",
              "lbfgs": "not converged"}
    runs = pd.DataFrame([{"method": m, "seed": s, "initial_loss": 1.0, "final_loss": 0.1 * (s + 1), "grad_norm": 1e-3,
                          "eig_min": -1.0, "eig_max": 5.0, "n_negative": 1, "singular_at": -1,
                          "trivial_loss_constant": 0.5, "trivial_loss_affine": 0.48, "nearest_trivial": "affine",
                          "trivial_distance": 0.5, "best_loss": 0.1,
                          "outcome": "diverged" if (m, s) == ("newton", 2) else ending[m], "problem": p}
                         for p in problems for m in METHODS for s in seeds])
    traces = pd.DataFrame([{"method": m, "seed": s, "iteration": k, "loss": 1.0 / (k + 1 + s), "problem": p}
                           for p in problems for m in METHODS for s in seeds for k in range(iterations + 1)])
    settings = StudySettings(width=2, depth=1, n_res=4, n_boundary=2, iterations=iterations, seeds=seeds)
    outcomes = pd.concat([outcome_table(runs[runs.problem == p].drop(columns="problem"), settings).assign(problem=p)
                          for p in problems])
    outcomes = outcomes[["problem", *outcomes.columns.drop("problem")]]
    paths = {name: tmp_path / f"{name}.csv" for name in ("runs", "traces", "outcomes")}
    for name, frame in (("runs", runs), ("traces", traces), ("outcomes", outcomes)):
        frame.to_csv(paths[name], index=False)

    out = {"pdf": str(figures / "newton_failure.pdf"), "png": str(figures / "newton_failure.png"),
           "csv": str(figures / "newton_outcomes.csv"), "md": str(figures / "newton_outcomes.md")}
    newton_figure(make_job({}, wildcards={"scale": SCALE}, input={k: str(v) for k, v in paths.items()}, output=out,
                           rule="newton_figure"))
    table = pd.read_csv(out["csv"])
    pd.testing.assert_frame_equal(table, pd.read_csv(paths["outcomes"]))
    assert len(table) == len(problems) * len(METHODS)
    assert (table[list(OUTCOMES)].sum(axis=1) == len(seeds)).all()
    newton = table[(table.method == "newton")].iloc[0]
    assert (newton["trivial solution"], newton.diverged) == (2, 1) and newton["trivial loss (affine)"] == 0.48
    md = Path(out["md"]).read_text()
    assert md.startswith(f"# Exact-Newton study ({SCALE} scale)")
    assert all(f"| {m} " in md for m in METHODS) and all(p in md for p in problems)
    assert all(o in md for o in OUTCOMES) and "minimum below" in md
    assert_figure(out["pdf"])


def test_nncg_figure(tmp_path, figures):
    """``nncg_time_to_loss.md``: titled with the PDEs, one row per PDE and setting of the comparison's summary, each
    setting read at the faithful run's budget."""
    from pinnlab.experiments.nncg import time_to_loss
    from pinnlab.report.nncg import nncg_figure

    traces = pd.DataFrame({"iteration": [0, 1, 2, 0, 1, 2, 3, 4],
                           "wall_time_s": [0.0, 2.0, 4.0, 0.0, 0.2, 0.4, 0.6, 0.8],
                           "loss": [1.0, 0.5, 0.2, 1.0, 0.7, 0.4, 0.19, 0.1],
                           "l2re": [0.9, 0.6, 0.3, 0.9, 0.8, 0.5, 0.29, 0.2],
                           "cg_iterations": [0, 30, 30, 0, 5, 6, 7, 8],
                           "setting": ["faithful"] * 3 + ["inexact"] * 5})
    both = [traces.assign(pde=pde) for pde in ("convection", "reaction")]
    summary = pd.concat([time_to_loss(t).assign(pde=t.pde.iloc[0]) for t in both], ignore_index=True)
    inexact = summary.set_index("setting").loc["inexact"].iloc[0]
    # at the faithful run's 4 s the inexact one has run all 4 iterations; at its 2 iterations it is at 0.4
    assert inexact.loss_at_faithful_time == 0.1 and inexact.l2re_at_faithful_iterations == 0.5
    paths = {"traces": tmp_path / "traces.csv", "summary": tmp_path / "summary.csv"}
    pd.concat(both).to_csv(paths["traces"], index=False)
    summary.to_csv(paths["summary"], index=False)
    out = {name: str(figures / f"nncg_time_to_loss.{name}") for name in ("pdf", "png", "md")}
    nncg_figure(make_job({}, wildcards={"scale": SCALE}, input={k: str(v) for k, v in paths.items()}, output=out,
                         rule="nncg_figure"))
    md = Path(out["md"]).read_text()
    assert md.startswith("# NNCG faithful vs inexact from the same Adam+L-BFGS state, convection, reaction "
                         f"({SCALE} scale)")
    rows = [line for line in md.splitlines() if line.startswith(("| convection", "| reaction"))]
    assert len(rows) == 4 and "6.67" in rows[1]  # the inexact setting reaches 0.2 at 0.6 s, the faithful at 4 s
    assert_figure(out["pdf"])


def test_ntk_spectra_figures(tmp_path, figures):
    """The spectra figure and the width-limit figure, each PDF and PNG, from the two tables of ``ntk_spectra``."""
    from pinnlab.report.ntk_spectra import ntk_spectra_figures

    eigenvalues = pd.DataFrame([{"pde": pde, "setup": f"{init}_{scaling}", "init": init,
                                 "input_normalization": scaling, "width": 8, "seed": s, "block": block,
                                 "n_points": 4, "trace": 111.0 if block == "res" else 1.875, "index": i,
                                 "eigenvalue": 10.0 ** (2 - i) if block == "res" else 0.5 ** i}
                                for pde, blocks in (("poisson1d", ("res", "bc")), ("wave", ("res", "ic", "bc_x0")))
                                for init, scaling in (("glorot", "none"), ("lecun", "standardize"))
                                for s in SEEDS for block in blocks for i in range(4)])
    width_limit = pd.DataFrame([{"pde": pde, "width": w, "seed": s, "init": "glorot", "lr": 0.1, "loss_start": 1.0,
                                 "loss_end": 0.5, "delta_k_spectral": 1 / w * (1 + s), "delta_k_frobenius": 1 / w,
                                 "param_change": 0.01, "k0_spread": w ** -0.5}
                                for pde in ("poisson1d", "wave") for w in (4, 16, 64) for s in SEEDS])
    paths = {"eigenvalues": tmp_path / "eigenvalues.csv", "width_limit": tmp_path / "width_limit.csv"}
    eigenvalues.to_csv(paths["eigenvalues"], index=False)
    width_limit.to_csv(paths["width_limit"], index=False)
    out = {"spectra_pdf": str(figures / "ntk_spectra.pdf"), "spectra_png": str(figures / "ntk_spectra.png"),
           "limit_pdf": str(figures / "ntk_width_limit.pdf"), "limit_png": str(figures / "ntk_width_limit.png")}
    ntk_spectra_figures(make_job({}, wildcards={"scale": SCALE}, input={k: str(v) for k, v in paths.items()},
                                 output=out, rule="ntk_spectra_figures"))
    assert_figure(out["spectra_pdf"])
    assert_figure(out["limit_pdf"])


def density_inputs(folder: Path):
    """One density CSV and one Ritz CSV per (PDE, method), as ``hessian_density`` writes them."""
    csvs, ritz = [], []
    grid = np.linspace(-1.0, 50.0, 200)
    for pde in PDES:
        for k, method in enumerate(("adam", "adam_lbfgs")):
            nodes = np.array([0.0, 1.0, 40.0 + k])
            density = sum(np.exp(-((grid - t) ** 2) / 2) for t in nodes)
            csvs.append(folder / f"{pde}_{method}.csv")
            pd.DataFrame({"eigenvalue": grid, "density": density / np.trapezoid(density, grid), "pde": pde,
                          "method": method}).to_csv(csvs[-1], index=False)
            ritz.append(folder / f"{pde}_{method}_ritz.csv")
            pd.DataFrame({"run": np.repeat([0, 1], 3), "node": np.tile(nodes, 2), "weight": np.tile([0.5, 0.3, 0.2], 2),
                          "pde": pde, "method": method}).to_csv(ritz[-1], index=False)
    return [str(p) for p in csvs], [str(p) for p in ritz]


def test_hessian_density_figure(tmp_path, figures):
    """``hessian_density.csv``: every (PDE, method) density in one table, in the order of the inputs."""
    from pinnlab.report.hessian_density import hessian_density_figure

    csvs, ritz = density_inputs(tmp_path)
    out = {name: str(figures / f"hessian_density.{name}") for name in ("csv", "pdf", "png")}
    hessian_density_figure(make_job({}, wildcards={"scale": SCALE}, input={"csvs": csvs, "ritz": ritz}, output=out,
                                    rule="hessian_density_figure"))
    table = pd.read_csv(out["csv"])
    assert len(table) == 200 * len(csvs)
    assert list(dict.fromkeys(zip(table.pde, table.method))) == [(p, m) for p in PDES for m in ("adam", "adam_lbfgs")]
    for (_, _), d in table.groupby(["pde", "method"]):
        assert np.trapezoid(d.density, d.eigenvalue) == pytest.approx(1.0)
    assert_figure(out["pdf"])


def draw_jobs(tmp_path):
    """Every draw job of this module with its inputs, and its outputs in a figures folder that does not exist."""
    from pinnlab.report.fig1b import fig1b_figure
    from pinnlab.report.hessian_density import hessian_density_figure

    folder = tmp_path / "not_yet" / SCALE
    norms = tmp_path / "norms.csv"
    pd.DataFrame([fig1b_row("wave", w, 0, float(w)) for w in WIDTHS]).to_csv(norms, index=False)
    csvs, ritz = density_inputs(tmp_path)

    def outputs(stem):
        return {name: str(folder / f"{stem}.{name}") for name in ("csv", "pdf", "png")}

    return {"fig1b_figure": (fig1b_figure, {"csvs": [str(norms)]}, outputs("fig1b_hessian_norm")),
            "hessian_density_figure": (hessian_density_figure, {"csvs": csvs, "ritz": ritz},
                                       outputs("hessian_density"))}


@pytest.mark.parametrize("rule", ["fig1b_figure", "hessian_density_figure"])
def test_draw_job_makes_its_output_folder(tmp_path, rule):
    """A job run without Snakemake (``pinnlab.job``: "the same interface ... for the command line and the tests")
    makes the folder of its outputs, as the compute jobs and ``table2_l2re`` do."""
    job, inputs, outputs = draw_jobs(tmp_path)[rule]
    job(make_job({}, wildcards={"scale": SCALE}, input=inputs, output=outputs, rule=rule))
    assert all(Path(p).exists() for p in outputs.values())
