"""Benchmark: milliseconds per iteration of each optimizer, and Hessian-vector products, per PDE and scale.

Times compiled chunks of the training loop (compilation excluded, median of repeats) from the
initialisation: an Adam step, a PINN-NTK weight update (NTK traces of every loss term on fresh points), an
L-BFGS iteration (direction + zoom line search), one Hessian-vector product (forward-over-reverse), the Nyström
sketch (``rank`` HVPs, scheduled by the protocol's ``hvp_batch``) and an NNCG iteration with the protocol's
settings. Peak memory: the process's maximum resident set (CPU) or the device's peak bytes.

    python benchmarks/step_times.py [--scales quick paper] [--pdes convection ...] [--what adam lbfgs hvp nncg]
                                    [--derivatives forward reverse] [--out DIR]

``--derivatives`` times the same work with the residuals' input derivatives in forward mode (jvp of jvp, what
training uses) and in nested reverse mode (grad of grad), one row each. ``--out DIR`` writes the table as
``step_times.{md,json}`` with its provenance (``record.py``).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
from record import add_out_option, write_record  # benchmarks/ is the script's folder

from pinnlab.allocator import keep_freed_memory
from pinnlab.config import load_config
from pinnlab.curvature import flat_objective, hvp
from pinnlab.evaluate import Reference
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.optim.nncg import nystrom
from pinnlab.paper import TABLE2_PDES
from pinnlab.pdes.base import DERIVATIVE_MODES, derivative_mode
from pinnlab.training.methods import build_phases
from pinnlab.training.run import Phase
from pinnlab.training.trainer import Trainer
from pinnlab.training.weighting import make_weight_update

WHAT = ("adam", "ntk_update", "lbfgs", "hvp", "sketch", "nncg")


def peak_memory_mb() -> float:
    stats = jax.devices()[0].memory_stats() or {}
    if "peak_bytes_in_use" in stats:
        return stats["peak_bytes_in_use"] / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_ms(fn, repeats: int, per: int = 1) -> float:
    jax.block_until_ready(fn())  # compile
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(fn())
        times.append((time.perf_counter() - t0) / per * 1e3)
    return statistics.median(times)


def phase_ms(trainer: Trainer, phase: Phase, steps: int, repeats: int) -> float:
    params = trainer.params0
    opt_state = phase.optimizer.init(params)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    chunk = trainer.chunk(phase, steps)
    return median_ms(lambda: chunk(params, opt_state, weights, jnp.int32(0)), repeats, steps)


def measure(cfg, scale: str, pde: str, what, steps: int, repeats: int) -> dict:
    run = resolve_run(cfg, scale, pde, "adam", 0)
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(run.pde.lower, run.pde.upper))
    trainer = Trainer(run, Reference(axes, np.ones([3] * run.pde.dim), {}))  # evaluation is not timed
    proto = cfg["scales"][scale]["protocols"][pde]
    out = {}
    if "adam" in what:
        out["adam"] = phase_ms(trainer, run.phases[0], steps, repeats)
    if "ntk_update" in what:  # one PINN-NTK weight update: traces of every block on fresh points
        update = jax.jit(make_weight_update({"scheme": "ntk", "every": 1, "points": proto["pinn_ntk"]["points"]},
                                            run.pde, trainer.net))
        out["ntk_update"] = median_ms(lambda: update(trainer.params0, 0, None, None, trainer.data["weight_key"]),
                                      repeats)
    if "lbfgs" in what:
        out["lbfgs"] = phase_ms(trainer, build_phases("adam_lbfgs", proto)[-1], steps, repeats)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    f, w, _ = flat_objective(trainer.objective, trainer.params0, trainer.batch(0), weights)
    if "hvp" in what:
        v = jax.random.normal(jax.random.key(0), w.shape)
        one = jax.jit(lambda v: hvp(f, w, v))
        out["hvp"] = median_ms(lambda: one(v), repeats)
    if "sketch" in what:
        rank, batch = proto["nncg"]["rank"], proto["nncg"]["hvp_batch"]
        sketch = jax.jit(lambda k: nystrom(lambda v: hvp(f, w, v), k, w.size, rank, batch))
        out["sketch"] = median_ms(lambda: sketch(jax.random.key(1)), max(1, repeats // 2))
    if "nncg" in what:
        out["nncg"] = phase_ms(trainer, build_phases("gdnd", proto)[0], max(1, steps // 10), max(1, repeats // 2))
    out["params"] = int(w.size)
    return out


def main() -> None:
    keep_freed_memory()  # as the DAG's jobs (pinnlab.allocator)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scales", nargs="+", default=["quick", "paper"])
    p.add_argument("--pdes", nargs="+", default=list(TABLE2_PDES))
    p.add_argument("--what", nargs="+", default=list(WHAT), choices=WHAT)
    p.add_argument("--steps", type=int, default=20, help="iterations per timed chunk (NNCG: a tenth)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--derivatives", nargs="+", default=["forward"], choices=DERIVATIVE_MODES)
    p.add_argument("--nncg-cg-maxiter", type=int, help="override the protocol's CG cap for the NNCG timing")
    add_out_option(p)
    args = p.parse_args()
    cfg = load_config(args.config)
    if args.nncg_cg_maxiter:
        for scale in args.scales:
            for proto in cfg["scales"][scale]["protocols"].values():
                proto["nncg"] = dict(proto["nncg"], cg_maxiter=args.nncg_cg_maxiter)
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; ms per iteration")
    cols = [w for w in WHAT if w in args.what]
    print(f"{'scale':<6} {'pde':<11} {'derivs':<8} {'net':>6} {'params':>7} " + " ".join(f"{c:>9}" for c in cols)
          + f" {'HVP/s':>7} {'peak MB':>8}")
    rows = []
    for scale in args.scales:
        for pde in args.pdes:
            for mode in args.derivatives:
                proto = cfg["scales"][scale]["protocols"][pde]
                with derivative_mode(mode):  # the residuals are traced (compiled) inside the block
                    r = measure(cfg, scale, pde, args.what, args.steps, args.repeats)
                net = f"{proto['network']['depth']}x{proto['network']['width']}"
                rate = f"{1e3 / r['hvp']:7.0f}" if "hvp" in r else f"{'':>7}"
                print(f"{scale:<6} {pde:<11} {mode:<8} {net:>6} {r['params']:>7} "
                      + " ".join(f"{r[c]:9.2f}" for c in cols) + f" {rate} {peak_memory_mb():8.0f}", flush=True)
                rows.append({"scale": scale, "pde": pde, "derivatives": mode, "network": net, "params": r["params"],
                             **{f"{c} ms": r[c] for c in cols},
                             **({"HVP/s": 1e3 / r["hvp"]} if "hvp" in r else {}), "peak MB": peak_memory_mb()})
    if args.out:
        write_record(args.out, "step_times", "ms per iteration of each optimizer (compiled chunks, median of "
                     f"{args.repeats} repeats, compilation excluded)", rows,
                     "Peak MB: the process's maximum resident set on a CPU, the device's peak bytes on a GPU.")


if __name__ == "__main__":
    main()
