"""Command line: ``python -m pinnlab <verb>``. The Snakemake rules call the same functions.

Verbs: ``reference`` (make a reference solution), ``train`` (one run), ``table2`` (the table from run
summaries), ``check-config``. User mistakes are printed as one clear message, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pinnlab.errors import PinnlabError


def configure_jax(cfg: dict) -> None:
    import jax

    jax.config.update("jax_default_matmul_precision", cfg["matmul_precision"])


def run_training(cfg: dict, scale: str, experiment: str, pde: str, method: str, seed: int,
                 out_dir: Path | str, *, progress: bool = True, continues: Path | str | None = None,
                 width: int | None = None) -> dict:
    """Train one run of the DAG and write its artifacts; returns the summary.

    ``continues``: run directory of the run this method continues (GDND: the Adam+L-BFGS run).
    ``width``: the network width of a Fig. 1a run (experiment ``fig1a``).
    """
    from pinnlab.config import resolve_fig1a_run, resolve_run

    configure_jax(cfg)
    if experiment == "fig1a":
        run = resolve_fig1a_run(cfg, scale, pde, width, seed)
    else:
        run = resolve_run(cfg, scale, experiment, pde, method, seed, continues)
    return _train_and_write(cfg, run, out_dir, progress)


def run_training_seeds(cfg: dict, scale: str, pde: str, method: str, seeds: list[int], out_dirs: list,
                       *, progress: bool = True, continues: list | None = None) -> list[dict]:
    """Train the Table-2 runs of several seeds together (``pinnlab.seeds``) and write each one's artifacts."""
    from pinnlab import artifacts
    from pinnlab.config import resolve_run
    from pinnlab.evaluate import load_reference, reference_path
    from pinnlab.seeds import train_seeds
    from pinnlab.train import CHECKPOINT_FILE

    configure_jax(cfg)
    runs = [resolve_run(cfg, scale, "table2", pde, method, seed, None if continues is None else continues[i])
            for i, seed in enumerate(seeds)]
    reference = load_reference(reference_path(cfg["reference_dir"], pde))
    outcomes = train_seeds(runs, reference, out_dirs, progress=progress)
    summaries = []
    for run, outcome, out_dir in zip(runs, outcomes, out_dirs):
        summaries.append(artifacts.write_run(Path(out_dir), run, outcome))
        (Path(out_dir) / CHECKPOINT_FILE).unlink(missing_ok=True)
        print(f"[pinnlab] {run.label}: status {outcome.status}, final L2RE {summaries[-1]['final'].get('l2re')}",
              flush=True)
    return summaries


def _train_and_write(cfg: dict, run, out_dir: Path | str, progress: bool) -> dict:
    from pinnlab import artifacts
    from pinnlab.evaluate import load_reference, reference_path
    from pinnlab.train import CHECKPOINT_FILE, train

    reference = load_reference(reference_path(cfg["reference_dir"], run.pde.name))
    outcome = train(run, reference, Path(out_dir), progress=progress)
    summary = artifacts.write_run(Path(out_dir), run, outcome)
    # The artifacts are complete: the resumable checkpoint has served its purpose.
    (Path(out_dir) / CHECKPOINT_FILE).unlink(missing_ok=True)
    final = summary["final"].get("l2re")
    print(f"[pinnlab] {run.label}: status {summary['status']}, final L2RE "
          f"{final if final is None else f'{final:.3e}'}, {summary['wall_time_s']:.1f} s", flush=True)
    return summary


def make_reference(cfg: dict, pde: str, out: Path | str) -> dict:
    from pinnlab.config import pde_from_config
    from pinnlab.reference.build import build_reference

    info = build_reference(pde_from_config(cfg, pde), Path(out))
    print(f"[pinnlab] reference {pde}: {info['method']}; estimated max error "
          f"{info['estimated_max_abs_error']:.2e}; {info['solve_seconds']:.1f} s → {out}", flush=True)
    return info


def make_table2(summaries, out_csv: Path | str, scale: str):
    from pinnlab.tables import write_table2

    table = write_table2(summaries, Path(out_csv), scale)
    print(Path(out_csv).with_suffix(".md").read_text(), flush=True)
    return table


def make_newton_study(cfg: dict, scale: str, out_dir: Path | str) -> None:
    """Run the exact-Newton study of ``scale`` → ``runs.csv`` and ``traces.csv`` in ``out_dir``."""
    import pandas as pd

    from pinnlab.config import scale_config
    from pinnlab.newton_study import StudySettings, run_study
    from pinnlab.pdes import make_pde

    block = scale_config(cfg, scale)["newton"]
    settings = StudySettings(width=block["network"]["width"], depth=block["network"]["depth"],
                             n_res=block["n_res"], n_boundary=block["n_boundary"], iterations=block["iterations"],
                             seeds=tuple(range(block["seeds"])), damping=block["damping"])
    runs, traces = [], []
    for problem in block["problems"]:
        pde = make_pde(problem["pde"], **problem["constants"])
        label = pde.name + "".join(f", {k}={v:g}" for k, v in problem["constants"].items())
        r, t = run_study(pde, settings)
        runs.append(r.assign(problem=label))
        traces.append(t.assign(problem=label))
        print(f"[pinnlab] Newton study {label}:\n{r.groupby(['method', 'outcome']).size().to_string()}", flush=True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pd.concat(runs).to_csv(out_dir / "runs.csv", index=False)
    pd.concat(traces).to_csv(out_dir / "traces.csv", index=False)


def make_newton_figure(runs_csv, traces_csv, out_pdf, scale: str) -> None:
    """``newton_failure.{pdf,png}`` and ``newton_outcomes.{csv,md}`` beside it."""
    import pandas as pd

    from pinnlab.newton_study import outcome_table
    from pinnlab.plots.newton import plot_newton_failure

    runs, traces = pd.read_csv(runs_csv), pd.read_csv(traces_csv)
    plot_newton_failure(runs, traces, out_pdf,
                        caption=f"Exact Newton vs damped Newton, Gauss–Newton, L-BFGS ({scale} scale)")
    tables = [outcome_table(r).assign(problem=p) for p, r in runs.groupby("problem", sort=False)]
    table = pd.concat(tables)[["problem", *tables[0].columns.drop("problem")]]
    out = Path(out_pdf).with_name("newton_outcomes.csv")
    table.to_csv(out, index=False)
    out.with_suffix(".md").write_text(f"# Exact-Newton study ({scale} scale): outcomes per method\n\n"
                                      + table.to_markdown(index=False, floatfmt=".3g") + "\n")


def make_nncg_comparison(cfg: dict, scale: str, parent_dir: Path | str, out_dir: Path | str) -> None:
    """Faithful vs inexact NNCG from seed 0's Adam+L-BFGS run → ``traces.csv``, ``summary.csv``."""
    import pandas as pd

    from pinnlab.config import resolve_run, scale_config
    from pinnlab.evaluate import load_reference, reference_path
    from pinnlab.nncg_comparison import SETTINGS, nncg_trace, time_to_loss

    configure_jax(cfg)
    block = scale_config(cfg, scale)["nncg_comparison"]
    run = resolve_run(cfg, scale, "nncg_comparison", block["pde"], "gdnd", 0, continues=parent_dir)
    reference = load_reference(reference_path(cfg["reference_dir"], block["pde"]))
    base = cfg["scales"][scale]["protocols"][block["pde"]]["nncg"]
    traces = []
    for setting in SETTINGS:
        settings = base | block[setting]
        trace = nncg_trace(run, reference, settings, settings["steps"]).assign(setting=setting)
        print(f"[pinnlab] NNCG {setting}: loss {trace.loss.iloc[0]:.3e} → {trace.loss.iloc[-1]:.3e} in "
              f"{trace.wall_time_s.iloc[-1]:.1f} s", flush=True)
        traces.append(trace)
    traces = pd.concat(traces, ignore_index=True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    traces.to_csv(out_dir / "traces.csv", index=False)
    time_to_loss(traces).assign(pde=block["pde"]).to_csv(out_dir / "summary.csv", index=False)


def make_nncg_figure(traces_csv, summary_csv, out_pdf, scale: str) -> None:
    import pandas as pd

    from pinnlab.plots.nncg import plot_time_to_loss

    summary = pd.read_csv(summary_csv)
    title = f"NNCG on {summary.pde.iloc[0]} from the same Adam+L-BFGS state ({scale} scale)"
    plot_time_to_loss(pd.read_csv(traces_csv), summary, out_pdf, title)
    out = Path(out_pdf).with_name("nncg_time_to_loss.md")
    out.write_text(f"# {title}\n\n" + summary.to_markdown(index=False, floatfmt=".3g") + "\n")


def make_fig1a(summaries, out_csv: Path | str, scale: str) -> None:
    """Tidy CSV of the ΔK curves of every Fig. 1a run, and ``fig1a_ntk_drift.{pdf,png}`` beside it."""
    import pandas as pd

    from pinnlab.artifacts import read_summary
    from pinnlab.plots.ntk import plot_fig1a

    frames = []
    for path in summaries:
        s = read_summary(path)
        m = pd.read_csv(Path(path).with_name("metrics.csv"))
        cols = [c for c in m.columns if c.startswith("ntk_drift_")]
        long = m.melt(id_vars=["step"], value_vars=cols, var_name="measure", value_name="delta_k")
        parts = long.measure.str.removeprefix("ntk_drift_").str.split("_", expand=True)
        frames.append(long.assign(pde=s["pde"], width=s["width"], seed=s["seed"], status=s["status"],
                                  kernel=parts[0], norm=parts[1]).drop(columns="measure"))
    tidy = pd.concat(frames, ignore_index=True)[["pde", "width", "seed", "step", "kernel", "norm", "delta_k",
                                                 "status"]]
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    tidy.to_csv(out_csv, index=False)
    plot_fig1a(tidy, Path(out_csv).with_name("fig1a_ntk_drift.pdf"), scale)


def make_ntk_spectra(cfg: dict, scale: str, out_dir: Path | str) -> None:
    """Block spectra at initialisation and the width-limit study → ``eigenvalues.csv``, ``width_limit.csv``."""
    import pandas as pd

    from pinnlab.config import scale_config
    from pinnlab.ntk_spectra import block_spectra, width_limit
    from pinnlab.pdes import make_pde

    configure_jax(cfg)
    block = scale_config(cfg, scale)["ntk_spectra"]
    seeds = range(block["seeds"])
    spectra, limits = [], []
    for problem in block["problems"]:
        pde = make_pde(problem["pde"], **problem["constants"])
        for init in block["inits"]:
            spectra.append(block_spectra(pde, block["spectrum_width"], 0, block["n_res"], block["n_conditions"],
                                         init))
            wl = width_limit(pde, block["widths"], seeds, block["n_res"], block["n_conditions"],
                             block["gd_steps"], init)
            print(f"[pinnlab] {pde.name} ({init}):\n"
                  f"{wl.groupby('width')[['k0_spread', 'delta_k_spectral']].mean().to_string()}", flush=True)
            limits.append(wl)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pd.concat(spectra).to_csv(out_dir / "eigenvalues.csv", index=False)
    pd.concat(limits).to_csv(out_dir / "width_limit.csv", index=False)


def make_ntk_spectra_figures(eigenvalues_csv, width_limit_csv, spectra_pdf, limit_pdf, scale: str) -> None:
    import pandas as pd

    from pinnlab.plots.ntk import plot_spectra, plot_width_limit

    plot_spectra(pd.read_csv(eigenvalues_csv), spectra_pdf, scale)
    plot_width_limit(pd.read_csv(width_limit_csv), limit_pdf, scale)


def make_fig1b_norms(cfg: dict, scale: str, pde_name: str, out_csv: Path | str) -> None:
    """‖∇²L_r‖ at initialisation for every width and seed of ``fig1b`` → one CSV per PDE."""
    from pinnlab.config import pde_from_config, protocol, scale_config
    from pinnlab.hessian_spectra import residual_norms
    from pinnlab.sampling import PointSpec

    configure_jax(cfg)
    block = scale_config(cfg, scale)["fig1b"]
    spec = PointSpec.from_config(protocol(cfg, scale, pde_name)["points"])
    table = residual_norms(pde_from_config(cfg, pde_name), spec, block["widths"], range(block["seeds"]),
                           block["lanczos_iterations"], cfg["loss_convention"], block["x64"])
    print(f"[pinnlab] ‖∇²L_r‖ of {pde_name}:\n{table.groupby('width').hessian_norm.describe().to_string()}",
          flush=True)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False)


def make_fig1b_figure(csvs, out_csv: Path | str, scale: str) -> None:
    import pandas as pd

    from pinnlab.plots.hessian import plot_fig1b

    table = pd.concat([pd.read_csv(c) for c in csvs], ignore_index=True)
    table.to_csv(out_csv, index=False)
    plot_fig1b(table, Path(out_csv).with_suffix(".pdf"), scale)


def make_hessian_density(cfg: dict, scale: str, pde: str, method: str, run_dir: Path | str,
                         out_csv: Path | str) -> None:
    """SLQ density of the full loss Hessian at the final parameters of a Table-2 run."""
    from pinnlab.config import resolve_run, scale_config
    from pinnlab.hessian_spectra import trained_density
    from pinnlab.methods import CONTINUES

    configure_jax(cfg)
    block = scale_config(cfg, scale)["hessian_density"]
    run_dir = Path(run_dir)
    parent = run_dir.parent.parent.parent / CONTINUES[method] / run_dir.parent.name / run_dir.name \
        if method in CONTINUES else None
    run = resolve_run(cfg, scale, "table2", pde, method, block["seed"], parent)
    density, nodes = trained_density(run, run_dir / "params.npz", block["runs"], block["lanczos_iterations"],
                                     block["seed"])
    out_csv = Path(out_csv)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    density.assign(pde=pde, method=method).to_csv(out_csv, index=False)
    nodes.assign(pde=pde, method=method).to_csv(out_csv.with_name(out_csv.stem + "_ritz.csv"), index=False)


def make_hessian_density_figure(csvs, out_csv: Path | str, scale: str) -> None:
    import pandas as pd

    from pinnlab.plots.hessian import plot_density

    table = pd.concat([pd.read_csv(c) for c in csvs], ignore_index=True)
    table.to_csv(out_csv, index=False)
    ritz = pd.concat([pd.read_csv(Path(c).with_name(Path(c).stem + "_ritz.csv")) for c in csvs], ignore_index=True)
    plot_density(table, ritz, Path(out_csv).with_suffix(".pdf"), scale)


def make_pcpinn_conditioning(cfg: dict, scale: str, out_csv: Path | str) -> None:
    """``pcpinn_conditioning.{csv,md}``: κ(A), κ(P⁻¹A) and the finite-difference accuracy floor per PDE."""
    import pandas as pd

    from pinnlab.config import pde_from_config, protocol, scale_config
    from pinnlab.evaluate import load_reference, reference_path
    from pinnlab.pcpinn.conditioning import conditioning_row

    rows = []
    for pde in scale_config(cfg, scale)["table2"]["pdes"]:
        row = conditioning_row(pde_from_config(cfg, pde), protocol(cfg, scale, pde)["pcpinn"],
                               load_reference(reference_path(cfg["reference_dir"], pde)))
        print(f"[pinnlab] {row}", flush=True)
        rows.append(row)
    table = pd.DataFrame(rows)
    out_csv = Path(out_csv)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False)
    shown = table[["pde", "conditioning_grid", "cond_A", "cond_PinvA", "nnz_A", "nnz_LU", "grid", "unknowns",
                   "fd_l2re"]]
    out_csv.with_suffix(".md").write_text(
        f"# PCPINN preconditioner ({scale} scale)\n\n2-norm condition numbers of the discrete system A (the Jacobian "
        "at the finite-difference solution for nonlinear PDEs) and of P⁻¹A with P = ILU(A), on the small grid; "
        "`fd_l2re`: L2RE of the finite-difference solution on the training grid — the floor of PCPINN's error.\n\n"
        + shown.to_markdown(index=False, floatfmt=".3g") + "\n")


def run_kleingordon(cfg: dict, scale: str, model: str, seed: int, out_dir: Path | str, *,
                    progress: bool = True) -> dict:
    """Train Klein–Gordon model ``model`` (M1–M4) with ``seed`` and write its artifacts."""
    from pinnlab.kleingordon import resolve_kleingordon_run

    configure_jax(cfg)
    return _train_and_write(cfg, resolve_kleingordon_run(cfg, scale, model, seed), out_dir, progress)


def make_kleingordon_report(cfg: dict, scale: str, out_dir: Path | str) -> None:
    """The Klein–Gordon table and its four figures from the finished M1–M4 runs."""
    import jax

    from pinnlab import kleingordon_analysis as kg
    from pinnlab.config import scale_config
    from pinnlab.plots import kleingordon as plots

    configure_jax(cfg)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    block = scale_config(cfg, scale)["kleingordon"]
    table = kg.errors_table(cfg, scale)
    table.to_csv(out_dir / "kleingordon_errors.csv", index=False)
    (out_dir / "kleingordon_errors.md").write_text(kg.render_markdown(table, scale, block["iterations"],
                                                                     block["seeds"]))
    seed = block["seeds"][0]
    finals = {m: kg.load_final(cfg, scale, m, seed) for m in block["models"]}
    metrics = {m: {s: kg.load_metrics(cfg, scale, m, s) for s in block["seeds"]} for m in block["models"]}
    gradients = {m: kg.layer_gradients(run, net, params, weights, block["gradient_points"],
                                       jax.random.key(seed + 7))
                 for m, (run, net, params, weights, _) in finals.items()}
    fields = {m: kg.field(run, net, params) for m, (run, net, params, _, _) in finals.items()}
    kg.curves(metrics).to_csv(out_dir / "kleingordon_curves.csv", index=False)
    caption = f"{scale} scale, {block['iterations']} Adam iterations"
    plots.weights_figure(metrics, out_dir / "kleingordon_weights.pdf", caption)
    plots.fields_figure(fields, out_dir / "kleingordon_fields.pdf", caption + f", seed {seed}")
    plots.losses_figure(metrics, out_dir / "kleingordon_losses.pdf", caption)
    plots.gradients_figure(gradients, out_dir / "kleingordon_gradients.pdf", caption + f", seed {seed}")
    print((out_dir / "kleingordon_errors.md").read_text(), flush=True)


def make_claims(cfg: dict, scale: str, out_md: Path | str) -> None:
    from pinnlab.claims import write_claims

    write_claims(cfg["figures_dir"], cfg["results_dir"], scale, out_md)
    print(Path(out_md).read_text(), flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pinnlab", description=__doc__)
    p.add_argument("--config", default="config/config.yaml", help="experiment config (default: %(default)s)")
    sub = p.add_subparsers(dest="verb", required=True)

    r = sub.add_parser("reference", help="make data/reference/<pde>.npz and its JSON sidecar")
    r.add_argument("--pde", required=True)
    r.add_argument("--out", help="output path (default: <reference_dir>/<pde>.npz)")

    t = sub.add_parser("train", help="train one run and write its artifacts")
    t.add_argument("--scale", required=True)
    t.add_argument("--pde", required=True)
    t.add_argument("--method", required=True)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--experiment", default="table2")
    t.add_argument("--out", help="run directory (default: the DAG's results/<scale>/... path)")
    t.add_argument("--no-progress", action="store_true")

    tb = sub.add_parser("table2", help="write table2_l2re.{csv,md,tex} from run summaries")
    tb.add_argument("--scale", required=True)
    tb.add_argument("--out", required=True, help="CSV path; .md and .tex are written beside it")
    tb.add_argument("summaries", nargs="+")

    sub.add_parser("check-config", help="validate the config and exit")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        from pinnlab.config import load_config, protocol, scale_config

        cfg = load_config(args.config)
        if args.verb == "reference":
            make_reference(cfg, args.pde, args.out or Path(cfg["reference_dir"]) / f"{args.pde}.npz")
        elif args.verb == "train":
            from pinnlab.artifacts import run_dir

            scale_config(cfg, args.scale)
            from pinnlab.methods import network_of

            width = network_of(args.method, protocol(cfg, args.scale, args.pde))["width"]
            out = args.out or run_dir(cfg["results_dir"], args.scale, args.experiment, args.pde, args.method,
                                      width, args.seed)
            from pinnlab.methods import CONTINUES

            parent = None
            if args.method in CONTINUES:
                parent = run_dir(cfg["results_dir"], args.scale, args.experiment, args.pde,
                                 CONTINUES[args.method], width, args.seed)
            run_training(cfg, args.scale, args.experiment, args.pde, args.method, args.seed, out,
                         progress=not args.no_progress, continues=parent)
        elif args.verb == "table2":
            make_table2(args.summaries, args.out, args.scale)
        elif args.verb == "check-config":
            print(f"{args.config}: valid")
    except PinnlabError as exc:
        print(f"pinnlab: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
