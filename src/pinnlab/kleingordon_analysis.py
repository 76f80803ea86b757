"""What the Klein–Gordon figures and table show, computed from the finished M1–M4 runs (``pinnlab.kleingordon``):
training curves, per-layer gradients of each loss group at the end of training, the fields, and the
error / loss / time table beside the sources' numbers.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from pinnlab import checkpoint
from pinnlab.artifacts import read_summary
from pinnlab.config import scale_config
from pinnlab.errors import PinnlabError
from pinnlab.kleingordon import GROUPS, MODELS, kleingordon_run_dir, resolve_kleingordon_run
from pinnlab.losses import loss_terms
from pinnlab.nets import network_for, weight_matrices
from pinnlab.paper import KLEINGORDON_PAPER
from pinnlab.sampling import PointSpec, uniform_points
from pinnlab.train import Run


def load_final(cfg: dict, scale: str, model: str, seed: int):
    """(run, network, final parameters, final weights, metrics) of a finished run."""
    run = resolve_kleingordon_run(cfg, scale, model, seed)
    directory = kleingordon_run_dir(cfg, scale, model, seed)
    net, template = network_for(run.pde, run.network, seed)
    params = checkpoint.load_params(directory / "params.npz", template)
    metrics = load_metrics(cfg, scale, model, seed)
    last = metrics.dropna(subset=["loss"]).iloc[-1]
    weights = {t: float(last[f"weight_{t}"]) for t in run.pde.term_names()}
    return run, net, params, weights, metrics


def load_metrics(cfg: dict, scale: str, model: str, seed: int) -> pd.DataFrame:
    return pd.read_csv(kleingordon_run_dir(cfg, scale, model, seed) / "metrics.csv")


def group_losses(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per metrics row, the unweighted loss of the residual and of each group (L_ics = L_ic + L_ic_t, …)."""
    out = pd.DataFrame({"step": metrics.step, "res": metrics.loss_res})
    for g, members in GROUPS.items():
        out[g] = sum(metrics[f"loss_{t}"] for t in members)
    return out


def layer_gradients(run: Run, net, params, weights: dict, n_points: int, key) -> dict[str, list[np.ndarray]]:
    """∇_W L_r and ∇_W λ_g L_g for each main weight matrix W (input to output) on ``n_points`` fresh uniform
    points per term: the gradient-pathology picture (the source's Figs. 2 and 7)."""
    spec = PointSpec(kind="uniform", n_res=n_points, n_initial=n_points, n_boundary=n_points, resample=True)
    batch = uniform_points(run.pde, spec, key)
    grads = jax.jacrev(lambda p: loss_terms(run.pde, net, p, batch, run.loss_convention))(params)
    out = {"res": [np.asarray(w).ravel() for w in weight_matrices(grads["res"])]}
    for g, members in GROUPS.items():
        lam = weights[members[0]]
        total = jax.tree.map(lambda *leaves: lam * sum(leaves), *(grads[t] for t in members))
        out[g] = [np.asarray(w).ravel() for w in weight_matrices(total)]
    return out


def curves(metrics: dict) -> pd.DataFrame:
    """Tidy training curves of every (model, seed): L2RE, unweighted loss groups and the group weights."""
    frames = []
    for model, runs in metrics.items():
        for seed, m in runs.items():
            m = m.dropna(subset=["loss"])
            frame = group_losses(m).rename(columns={k: f"loss_{k}" for k in ("res", *GROUPS)})
            frame = frame.assign(model=model, seed=seed, l2re=m.l2re.to_numpy(),
                                 **{f"weight_{g}": m[f"weight_{members[0]}"].to_numpy()
                                    for g, members in GROUPS.items()})
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def field(run: Run, net, params, n: int = 100) -> dict[str, np.ndarray]:
    """Exact and predicted u on the source's n × n evaluation grid of [0, 1]²."""
    axes = run.pde.eval_axes()
    grid = jnp.stack(jnp.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, run.pde.dim)
    exact = jax.vmap(run.pde.exact)(grid).reshape(len(axes[0]), len(axes[1]))
    pred = jax.vmap(lambda z: net.apply(params, z))(grid).reshape(exact.shape)
    return {"x": np.asarray(axes[0]), "t": np.asarray(axes[1]), "exact": np.asarray(exact), "pred": np.asarray(pred)}


def errors_table(cfg: dict, scale: str) -> pd.DataFrame:
    """One row per model: final and best-logged L2RE (best and median over seeds), final loss groups and their
    relative change against M1, final weights, wall time and its overhead over M1, and the sources' numbers."""
    block = scale_config(cfg, scale)["kleingordon"]
    rows = []
    for model in block["models"]:
        per_seed = []
        for seed in block["seeds"]:
            directory = kleingordon_run_dir(cfg, scale, model, seed)
            summary = read_summary(directory / "summary.json")
            metrics = pd.read_csv(directory / "metrics.csv")
            losses = group_losses(metrics.dropna(subset=["loss"])).iloc[-1]
            last = metrics.dropna(subset=["loss"]).iloc[-1]
            per_seed.append({"status": summary["status"], "l2re": summary["final"].get("l2re"),
                             "best_logged": summary["best_logged_l2re"], "wall": summary["wall_time_s"],
                             **{f"loss_{k}": float(losses[k]) for k in ("res", *GROUPS)},
                             **{f"weight_{g}": float(last[f"weight_{m[0]}"]) for g, m in GROUPS.items()}})
        ok = [r for r in per_seed if r["status"] == "ok" and r["l2re"] is not None]
        if not ok:
            raise PinnlabError(f"every Klein–Gordon {model} run diverged at the {scale} scale; see "
                               f"{kleingordon_run_dir(cfg, scale, model, block['seeds'][0]).parent}")
        med = {k: float(np.median([r[k] for r in ok])) for k in ok[0] if k != "status"}
        rows.append({"model": model, "architecture": MODELS[model][0], "annealing": MODELS[model][1],
                     "l2re_best": min(r["l2re"] for r in ok), "l2re_median": med["l2re"],
                     "best_logged_l2re": min(r["best_logged"] for r in ok),
                     "n_seeds": len(per_seed), "n_diverged": len(per_seed) - len(ok),
                     **{k: med[k] for k in med if k.startswith(("loss_", "weight_"))},
                     "wall_time_s": med["wall"],
                     "paper_l2re": KLEINGORDON_PAPER["table5"].get(model),
                     "writeup_final_l2re": KLEINGORDON_PAPER["writeup_final"].get(model)})
    table = pd.DataFrame(rows)
    if "M1" in set(table.model):
        base = table[table.model == "M1"].iloc[0]
        for k in ("res", *GROUPS):
            table[f"change_vs_m1_{k}"] = table[f"loss_{k}"] / base[f"loss_{k}"] - 1
        table["l2re_change_vs_m1"] = table.l2re_median / base.l2re_median - 1
        table["time_overhead_vs_m1"] = table.wall_time_s / base.wall_time_s - 1
    for g in GROUPS:  # M1 and M3 keep weight 1: the column only means something for the annealed models
        table.loc[~table.annealing, f"weight_{g}"] = np.nan
    return table


def render_markdown(table: pd.DataFrame, scale: str, iterations: int, seeds: list[int]) -> str:
    def f(x, pct=False):
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return "—"
        return f"{100 * x:+.1f} %" if pct else f"{x:.3g}" if abs(x) >= 1e-2 else f"{x:.2e}"

    has_m1 = "time_overhead_vs_m1" in table
    lines = [f"# Klein–Gordon: models M1–M4 ({scale} scale, {iterations} Adam iterations, seeds {seeds})", "",
             "L2RE on the 100 × 100 grid: final (best / median over seeds) and the best logged value; loss "
             "groups unweighted, median over seeds, relative change against M1; weights λ at the end (median); "
             "paper: Wang, Teng, Perdikaris 2021 Table 5; write-up: the JAX Klein–Gordon write-up's final "
             "errors (M1, M2).", "",
             "| model | L2RE best / median | best logged | paper | write-up | L_r (Δ vs M1) | L_ics (Δ) | L_bcs (Δ) "
             "| λ_ics | λ_bcs | time s (overhead vs M1) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in table.itertuples():
        def loss(k, r=r):
            return f(getattr(r, f"loss_{k}")) + (f" ({f(getattr(r, f'change_vs_m1_{k}'), True)})" if has_m1 else "")
        lines.append(f"| {r.model} | {f(r.l2re_best)} / {f(r.l2re_median)} | {f(r.best_logged_l2re)} | "
                     f"{f(r.paper_l2re)} | {f(r.writeup_final_l2re)} | {loss('res')} | {loss('ics')} | "
                     f"{loss('bcs')} | {f(r.weight_ics)} | {f(r.weight_bcs)} | {r.wall_time_s:.1f}"
                     + (f" ({f(r.time_overhead_vs_m1, True)})" if has_m1 else "") + " |")
    return "\n".join(lines) + "\n"
