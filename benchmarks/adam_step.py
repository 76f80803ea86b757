"""Benchmark: milliseconds per Adam iteration for each Table-2 PDE at the quick and paper sizes.

Times the compiled ``lax.scan`` chunk of the training loop (compilation excluded), median of a few
repeats, and reports the peak resident memory of the process (CPU) or the device's peak bytes (GPU).

    python benchmarks/adam_step.py [--scales quick paper] [--pdes convection ...] [--steps 20]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.config import load_config, resolve_run
from pinnlab.evaluate import Reference
from pinnlab.pdes import TABLE2_PDES
from pinnlab.train import Trainer


def peak_memory_mb() -> float:
    stats = jax.devices()[0].memory_stats() or {}
    if "peak_bytes_in_use" in stats:
        return stats["peak_bytes_in_use"] / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_adam(cfg, scale: str, pde: str, steps: int, repeats: int) -> float:
    run = resolve_run(cfg, scale, "benchmark", pde, "adam", 0)
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(run.pde.lower, run.pde.upper))
    reference = Reference(axes, np.ones([3] * run.pde.dim), {})  # evaluation is not timed
    trainer = Trainer(run, reference)
    phase = run.phases[0]
    params = trainer.params0
    opt_state = phase.optimizer.init(params)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    chunk = trainer.chunk(phase, steps)
    jax.block_until_ready(chunk(params, opt_state, weights, jnp.int32(0)))  # compile
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(chunk(params, opt_state, weights, jnp.int32(0)))
        times.append((time.perf_counter() - t0) / steps * 1e3)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scales", nargs="+", default=["quick", "paper"])
    p.add_argument("--pdes", nargs="+", default=list(TABLE2_PDES))
    p.add_argument("--steps", type=int, default=20, help="steps per timed chunk")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    cfg = load_config(args.config)
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}")
    print(f"{'scale':<6} {'pde':<11} {'net':>8} {'points':>24} {'ms/it':>9} {'peak MB':>9}")
    for scale in args.scales:
        for pde in args.pdes:
            proto = cfg["scales"][scale]["protocols"][pde]
            pts = proto["points"]
            points = f"{pts['n_res']} res" + (f", grid {pts['grid']}" if "grid" in pts else
                                               f", {pts.get('n_initial')}/{pts.get('n_boundary')} ic/bc")
            net = f"{proto['network']['depth']}x{proto['network']['width']}"
            ms = time_adam(cfg, scale, pde, args.steps, args.repeats)
            print(f"{scale:<6} {pde:<11} {net:>8} {points:>24} {ms:9.2f} {peak_memory_mb():9.0f}", flush=True)


if __name__ == "__main__":
    main()
