"""Cost of learning-rate annealing: ms per step of the Klein–Gordon models M1–M4 (compiled chunks of the shared
training loop, metrics excluded, median of repeats), and the overhead of M2 over M1 and of M4 over M3.

    python benchmarks/annealing_cost.py [--scale quick] [--steps 500] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.catalog import KLEINGORDON_MODELS as MODELS
from pinnlab.config import load_config
from pinnlab.evaluate import Reference
from pinnlab.experiments.kleingordon import resolve as resolve_kleingordon_run
from pinnlab.training.trainer import Trainer


def ms_per_step(run, steps: int, repeats: int) -> float:
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(run.pde.lower, run.pde.upper))
    trainer = Trainer(run, Reference(axes, np.ones([3] * run.pde.dim), {}))
    phase = run.phases[0]
    chunk = trainer.chunk(phase, steps)
    state = phase.optimizer.init(trainer.params0)
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    jax.block_until_ready(chunk(trainer.params0, state, weights, jnp.int32(0)))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(chunk(trainer.params0, state, weights, jnp.int32(0)))
        times.append((time.perf_counter() - t0) / steps * 1e3)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scale", default="quick")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    cfg = load_config(args.config)
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; Klein–Gordon {args.scale}")
    ms = {m: ms_per_step(resolve_kleingordon_run(cfg, args.scale, m, 0), args.steps, args.repeats) for m in MODELS}
    for m, v in ms.items():
        print(f"{m}: {v:.3f} ms/step")
    print(f"annealing overhead: M2 / M1 − 1 = {100 * (ms['M2'] / ms['M1'] - 1):+.1f} %, "
          f"M4 / M3 − 1 = {100 * (ms['M4'] / ms['M3'] - 1):+.1f} %")


if __name__ == "__main__":
    main()
