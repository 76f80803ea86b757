"""What the Klein–Gordon figures need from the trained networks (rule ``kleingordon_analysis``): per-layer
gradients of each loss group at the end of training (the gradient-pathology picture, the source's Figs. 2 and 7)
and the predicted field on the evaluation grid, for the first seed of every model. The table, the curves and the
figures are drawn from these files and the run summaries by ``pinnlab.report.kleingordon``.

``gradients.npz``: ``<model>/<group>/<layer>`` -> the entries of ∇_W of that group's loss for weight matrix
``layer`` (input to output; ``res`` unweighted, the condition groups times their final λ).
``fields.npz``: ``<model>/{x,t,exact,pred}`` -> the axes and the exact and predicted u on the grid.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.config import scale_config
from pinnlab.experiments.kleingordon import GROUPS, resolve
from pinnlab.losses import loss_terms
from pinnlab.nets import network_for, weight_matrices
from pinnlab.sampling import PointSpec, run_key, uniform_points
from pinnlab.training import checkpoint
from pinnlab.training.artifacts import checked_run_file, read_metrics, read_summary
from pinnlab.training.run import Run


def layer_gradients(run: Run, net, params, weights: dict, n_points: int, key) -> dict[str, list[np.ndarray]]:
    """∇_W L_r and ∇_W λ_g L_g for each main weight matrix W (input to output) on ``n_points`` fresh uniform
    points per term."""
    spec = PointSpec(kind="uniform", n_res=n_points, n_initial=n_points, n_boundary=n_points, resample=True)
    batch = uniform_points(run.pde, spec, key)
    grads = jax.jacrev(lambda p: loss_terms(run.pde, net, p, batch, run.loss_convention))(params)
    out = {"res": [np.asarray(w).ravel() for w in weight_matrices(grads["res"])]}
    for g, members in GROUPS.items():
        lam = weights[members[0]]
        total = jax.tree.map(lambda *leaves: lam * sum(leaves), *(grads[t] for t in members))
        out[g] = [np.asarray(w).ravel() for w in weight_matrices(total)]
    return out


def field(run: Run, net, params) -> dict[str, np.ndarray]:
    """Exact and predicted u on the PDE's evaluation grid (the source's 100 × 100 grid of [0, 1]²)."""
    axes = run.pde.eval_axes()
    grid = jnp.stack(jnp.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, run.pde.dim)
    exact = jax.vmap(run.pde.exact)(grid).reshape(len(axes[0]), len(axes[1]))
    pred = jax.vmap(lambda z: net.apply(params, z))(grid).reshape(exact.shape)
    return {"x": np.asarray(axes[0]), "t": np.asarray(axes[1]), "exact": np.asarray(exact), "pred": np.asarray(pred)}


def kleingordon_analysis(job) -> None:
    """``gradients.npz`` and ``fields.npz`` from the final parameters of each model's runs given as inputs."""
    cfg, scale = job.config, job.wildcards.scale
    n_points = scale_config(cfg, scale)["kleingordon"]["gradient_points"]
    gradients, fields = {}, {}
    for summary_path, metrics_path, params_path in zip(job.input.summaries, job.input.metrics, job.input.params):
        summary = read_summary(summary_path)
        model, seed = summary["method"], summary["seed"]
        run = resolve(cfg, scale, model, seed)
        net, template = network_for(run.pde, run.network, seed)
        params = checkpoint.load_params(checked_run_file(params_path, summary_path), template)
        last = read_metrics(metrics_path, summary_path).dropna(subset=["loss"]).iloc[-1]
        weights = {t: float(last[f"weight_{t}"]) for t in run.pde.term_names()}
        per_layer = layer_gradients(run, net, params, weights, n_points, run_key(seed, "gradients"))
        gradients |= {f"{model}/{g}/{i}": v for g, layers in per_layer.items() for i, v in enumerate(layers)}
        fields |= {f"{model}/{k}": v for k, v in field(run, net, params).items()}
    Path(job.output.gradients).parent.mkdir(parents=True, exist_ok=True)
    np.savez(job.output.gradients, **gradients)
    np.savez(job.output.fields, **fields)
