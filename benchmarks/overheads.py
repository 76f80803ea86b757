"""Benchmark: where per-call and per-HVP time goes on a CPU, side by side in one process (issue #16's findings).

On the benchmark's Convection problem (``vs_pytorch.py``'s: β = 40, 3 hidden layers, 10,000 residual points), per
width:

  call vs loop     the loss and gradient once per compiled call, and the same work as steps of one compiled
                   ``fori_loop`` of ``--loop`` steps: milliseconds and minor page faults per step. The difference is
                   the per-call overhead; the faults say where it goes (fresh pages of the call's buffers).
  small steps      the loop on ``--small-n-res`` residual points (a small batch, as the Klein–Gordon and quick
                   runs train on): many small allocations per step, where an allocator setting can cost time.
  HVP variants     one Hessian-vector product standalone (``curvature.hvp``), per product inside a Lanczos loop of
                   ``--products`` products with the primal recomputed in the loop body (what ``hvp`` writes; XLA may
                   hoist it), and with the gradient linearised once (``jax.linearize``) and the linear map reused;
                   the Nyström sketch's products one after another (``lax.map``) and all at once (``vmap``).

Each variant is compiled first and timed by the median of ``--repeats`` calls, the variants' calls interleaved so
that a noisy machine slows them alike (``vs_pytorch.median_ms``), all but the sketch's all-at-once products (timed
alone: the call after theirs ran slower); its page faults are the median of three calls.
``--allocator`` chooses the process's malloc settings: ``kept`` (``pinnlab.allocator``, what pinnlab runs with),
``glibc-default`` (the before) or ``one-arena`` (``kept`` plus ``allocator.ONE_ARENA``, tried and not kept). What
wins here decides what pinnlab keeps (docs/performance.md).

    python benchmarks/overheads.py [--widths 50 200] [--repeats 7] [--allocator kept] [--out DIR]
"""

from __future__ import annotations

import argparse
import resource
import statistics

import jax
import jax.numpy as jnp
from record import add_out_option, write_record  # benchmarks/ is the script's folder
from vs_pytorch import compiled, median_ms, pinnlab_trainer

from pinnlab import allocator
from pinnlab.config import load_config
from pinnlab.curvature import flat_objective, hvp
from pinnlab.diagnostics.hessian import lanczos
from pinnlab.optim.nncg import nystrom


def faults_per_unit(fn, units: int, calls: int = 3) -> float:
    """Median minor page faults of a compiled call (compiled already), per unit."""
    counts = []
    for _ in range(calls):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        jax.block_until_ready(fn())
        counts.append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / units)
    return statistics.median(counts)


def flat_loss(cfg: dict, width: int, args):
    trainer, proto = pinnlab_trainer(cfg, width, args)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    f, w, _ = flat_objective(trainer.objective, trainer.params0, trainer.batch(0), weights)
    return f, w, proto


def loop_of_steps(f, n: int):
    """n gradient steps (of negligible size) in one compiled loop: the work of training steps, one call."""
    return jax.jit(lambda w: jax.lax.fori_loop(0, n, lambda i, x: x - 1e-12 * jax.grad(f)(x), w))


def measure_width(cfg: dict, width: int, args) -> list[dict]:
    f, w, proto = flat_loss(cfg, width, args)
    f_small, w_small, _ = flat_loss(cfg, width, argparse.Namespace(**{**vars(args), "n_res": args.small_n_res}))
    n, m, rank = args.loop, args.products, min(proto["nncg"]["rank"], w.size)
    key = jax.random.key(0)
    v = jax.random.normal(key, w.shape)

    value_and_grad = jax.jit(jax.value_and_grad(f))
    steps, small_steps = loop_of_steps(f, n), loop_of_steps(f_small, n)
    one_hvp = jax.jit(lambda v: hvp(f, w, v))
    lanczos_hvp = jax.jit(lambda k: lanczos(lambda u: hvp(f, w, u), w.size, m, k))
    lanczos_linearised = jax.jit(lambda k: lanczos(jax.linearize(jax.grad(f), w)[1], w.size, m, k))
    sketch_map = jax.jit(lambda k: nystrom(lambda u: hvp(f, w, u), k, w.size, rank, 1))
    sketch_vmap = jax.jit(lambda k: nystrom(lambda u: hvp(f, w, u), k, w.size, rank, 0))
    # the variants compute the same thing: a faster one that did not would win nothing
    for name, (a, b) in {"Lanczos": (lanczos_hvp(key)[0], lanczos_linearised(key)[0]),
                         "sketch": (sketch_map(key)[1], sketch_vmap(key)[1])}.items():
        if not jnp.allclose(a, b, rtol=1e-3, atol=1e-6 * float(jnp.max(jnp.abs(a)))):
            raise SystemExit(f"width {width}: the {name} variants disagree: {a} vs {b}")
    variants = {
        "loss and gradient, one per call": (lambda: value_and_grad(w), 1),
        f"loss and gradient, steps of a {n}-step loop": (lambda: steps(w), n),
        f"loss and gradient on {args.small_n_res} points, steps of a {n}-step loop": (lambda: small_steps(w_small), n),
        "HVP, one per call": (lambda: one_hvp(v), 1),
        f"HVP in a {m}-step Lanczos loop, primal in the body": (lambda: lanczos_hvp(key), m),
        f"HVP in a {m}-step Lanczos loop, gradient linearised once": (lambda: lanczos_linearised(key), m),
        f"sketch HVP, {rank} one after another (lax.map)": (lambda: sketch_map(key), rank),
        f"sketch HVP, {rank} at once (vmap)": (lambda: sketch_vmap(key), rank),
    }
    # Calls interleaved, except the sketch's all-at-once products: their call hands gigabytes of temporaries back
    # as it returns, and whichever call came next ran hundreds of ms slower (under every --allocator setting), so
    # they are timed on their own, after the others.
    alone = [name for name in variants if name.endswith("(vmap)")]
    together = [name for name in variants if name not in alone]
    ms = dict(zip(together, median_ms([compiled(*variants[n]) for n in together], args.repeats)))
    ms |= {n: median_ms([compiled(*variants[n])], args.repeats)[0] for n in alone}
    return [{"width": width, "parameters": int(w.size), "operation": name, "ms per unit": ms[name],
             "minor page faults per unit": faults_per_unit(fn, units)}
            for name, (fn, units) in variants.items()]


def main(argv: list[str] | None = None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--widths", nargs="+", type=int, default=[50, 200])
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--grid", nargs=2, type=int, default=[257, 101])
    p.add_argument("--n-res", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--loop", type=int, default=10, help="steps of the compiled loop")
    p.add_argument("--products", type=int, default=20, help="HVPs of the Lanczos loop")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--small-n-res", type=int, default=128, help="residual points of the small-steps row")
    p.add_argument("--allocator", choices=["kept", "glibc-default", "one-arena"], default="kept",
                   help="malloc settings: pinnlab.allocator's (kept), glibc's own (the before), or kept plus one "
                   "arena (tried and not kept)")
    add_out_option(p)
    args = p.parse_args(argv)
    if min(args.widths) < 1 or args.loop < 1 or args.products < 2 or args.repeats < 1 or args.small_n_res < 1:
        p.error("--widths, --loop, --repeats and --small-n-res must be ≥ 1 and --products ≥ 2")
    applied = args.allocator != "glibc-default" and allocator.keep_freed_memory()
    one_arena = args.allocator == "one-arena" and allocator.apply(allocator.ONE_ARENA)
    setting = allocator.describe(applied, one_arena)
    cfg = load_config(args.config)
    rows = []
    for width in args.widths:
        rows += measure_width(cfg, width, args)
        for r in rows[-8:]:
            print(f"width {width:>4}  {r['operation']:<58} {r['ms per unit']:9.2f} ms  "
                  f"{r['minor page faults per unit']:9.0f} faults", flush=True)
    if args.out:
        write_record(args.out, "overheads", "Per-call overhead and HVP variants (pinnlab alone, one process)", rows,
                     notes="ms and minor page faults per unit (a step, an HVP), medians of interleaved calls. "
                     f"Allocator: {setting}.")
    return rows


if __name__ == "__main__":
    main()
