"""Where the time of a training step goes, per PDE: the network, its input derivatives, the backward pass, the
optimizer, Python dispatch, and the per-chunk metrics (evaluation and host transfer).

Each part is its own compiled function timed on the protocol's points (median of repeats, compilation
excluded); the shares are differences of nested parts:
  network       u(z) at every point of every term
  derivatives   the loss terms (residual operators) − network
  backward      loss and gradient − loss terms
  optimizer     one Adam step (gradient + optax update) − loss and gradient
  dispatch      a Python loop of single-step calls − the same steps in one lax.scan chunk (per step)
  metrics       one metrics row (losses, L2RE on the evaluation grid, transfer to the host)
  compile       the first call of a 100-step chunk

    python benchmarks/profile_step.py [--scale quick] [--pdes convection ...] [--steps 100] [--out DIR]

``--out DIR`` writes the table as ``profile_step.{md,json}`` with its provenance (``record.py``).
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import optax
from record import add_out_option, write_record
from step_times import median_ms  # benchmarks/ is the script's folder

from pinnlab.allocator import keep_freed_memory
from pinnlab.config import load_config
from pinnlab.evaluate import load_reference
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.layout import Layout
from pinnlab.losses import loss_terms, weighted_total
from pinnlab.paper import TABLE2_PDES
from pinnlab.training.trainer import Trainer


def profile(cfg, scale: str, pde_name: str, steps: int, repeats: int) -> dict:
    run = resolve_run(cfg, scale, pde_name, "adam", 0)
    reference = load_reference(Layout.of(cfg).reference(pde_name))
    t0 = time.perf_counter()
    trainer = Trainer(run, reference)
    setup = time.perf_counter() - t0
    pde, net, params, batch = run.pde, trainer.net, trainer.params0, trainer.batch(0)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    points = jnp.concatenate(list(batch.values()))
    tx = optax.adam(1e-3)
    opt_state = tx.init(params)

    network = jax.jit(lambda p: jax.vmap(lambda z: net.apply(p, z))(points))
    terms = jax.jit(lambda p: weighted_total(loss_terms(pde, net, p, batch), weights))
    grad = jax.jit(jax.value_and_grad(lambda p: weighted_total(loss_terms(pde, net, p, batch), weights)))

    @jax.jit
    def step(p, s):
        g = jax.grad(lambda q: weighted_total(loss_terms(pde, net, q, batch), weights))(p)
        updates, s = tx.update(g, s, p)
        return optax.apply_updates(p, updates), s

    def python_loop():
        p, s = params, opt_state
        for _ in range(steps):
            p, s = step(p, s)
        return p

    chunk = trainer.chunk(run.phases[0], steps)
    phase_state = run.phases[0].optimizer.init(params)
    t0 = time.perf_counter()
    jax.block_until_ready(chunk(params, phase_state, weights, jnp.int32(0)))
    compile_s = time.perf_counter() - t0
    out = {"network": median_ms(lambda: network(params), repeats),
           "terms": median_ms(lambda: terms(params), repeats),
           "grad": median_ms(lambda: grad(params), repeats),
           "step": median_ms(lambda: step(params, opt_state), repeats),
           "scan": median_ms(lambda: chunk(params, phase_state, weights, jnp.int32(0)), repeats, steps),
           "loop": median_ms(python_loop, repeats, steps),
           "metrics": median_ms(lambda: trainer.metrics_row(0, run.phases[0], 0.0, params, weights)["loss"],
                                repeats),
           "compile_s": compile_s, "setup_s": setup}
    out["points"] = int(points.shape[0])
    return out


def main() -> None:
    keep_freed_memory()  # as the DAG's jobs (pinnlab.allocator)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scale", default="quick")
    p.add_argument("--pdes", nargs="+", default=list(TABLE2_PDES))
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--repeats", type=int, default=5)
    add_out_option(p)
    args = p.parse_args()
    cfg = load_config(args.config)
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; {args.scale} scale; "
          "ms per step unless marked")
    print(f"{'pde':<11} {'points':>7} {'network':>8} {'derivs':>8} {'backward':>9} {'optimizer':>9} "
          f"{'step(scan)':>10} {'dispatch':>9} {'metrics':>8} {'compile s':>9} {'setup s':>8}")
    rows = []
    for pde in args.pdes:
        r = profile(cfg, args.scale, pde, args.steps, args.repeats)
        row = {"pde": pde, "points": r["points"], "network ms": r["network"],
               "input derivatives ms": r["terms"] - r["network"], "backward ms": r["grad"] - r["terms"],
               "optimizer ms": r["step"] - r["grad"], "step in a scan ms": r["scan"],
               "Python dispatch ms": r["loop"] - r["scan"], "metrics row ms": r["metrics"],
               "compile s": r["compile_s"], "setup s": r["setup_s"]}
        rows.append(row)
        print(f"{pde:<11} {r['points']:>7} " + " ".join(f"{v:8.2f}" for v in list(row.values())[2:]), flush=True)
    if args.out:
        write_record(args.out, "profile_step", f"Where the time of an Adam step goes ({args.scale} scale, ms per "
                     "step unless marked)", rows, "Each part is the difference of two nested compiled functions "
                     "(small negative values are timing noise); dispatch: a Python loop of single steps minus the "
                     "same steps in one lax.scan chunk; metrics row: once per chunk.")


if __name__ == "__main__":
    main()
