"""Cost of S seeds trained together (one vmapped program, ``pinnlab.training.loop``) against one seed and S
separate runs.

Times one compiled chunk of steps of the method's phase ``--phase`` (0: its first; 1: Adam+L-BFGS's L-BFGS) from
the initialisation (median of repeats, compilation reported apart).

    python benchmarks/seeds_vmap.py [--scale quick] [--pde convection] [--method adam] [--phase 0] [--seeds 1 2 5 10]
                                    [--out DIR]

``--out DIR`` writes the table as ``seeds_vmap.{md,json}`` with its provenance (``record.py``).
"""

from __future__ import annotations

import argparse

import jax
import jax.numpy as jnp
from gpu_check import flat_reference, timed  # benchmarks/ is on sys.path when a script of it runs
from record import add_out_option, write_record

from pinnlab.config import load_config
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.training.loop import stack
from pinnlab.training.trainer import Trainer


def phase_name(cfg, args) -> str:
    """The name of the method's phase ``--phase``; a clear error for an index it does not have."""
    phases = resolve_run(cfg, args.scale, args.pde, args.method, 0).phases
    if not 0 <= args.phase < len(phases):
        raise SystemExit(f"--phase {args.phase}: {args.method} has phases 0..{len(phases) - 1} "
                         f"({', '.join(ph.name for ph in phases)})")
    return phases[args.phase].name


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scale", default="quick")
    p.add_argument("--pde", default="convection")
    p.add_argument("--method", default="adam")
    p.add_argument("--phase", type=int, default=0, help="which of the method's phases to time (0: the first)")
    p.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 5, 10])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3)
    add_out_option(p)
    args = p.parse_args()
    cfg = load_config(args.config)
    device, phase_label = jax.devices()[0], phase_name(cfg, args)
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; {args.scale} {args.pde} "
          f"{args.method} (phase {phase_label}); {args.steps} steps per chunk")
    print(f"{'seeds':>5} {'vmapped ms/step':>16} {'separate ms/step':>17} {'vmapped / one seed':>19} "
          f"{'compile s (vmapped)':>20}")
    one, rows = None, []
    for s in args.seeds:
        runs = [resolve_run(cfg, args.scale, args.pde, args.method, seed) for seed in range(s)]
        trainers = [Trainer(r, flat_reference(r.pde)) for r in runs]
        phase = runs[0].phases[args.phase]
        params = stack([t.params0 for t in trainers])
        state = jax.vmap(phase.optimizer.init)(params)
        weights = stack([{k: jnp.float32(1.0) for k in trainers[0].term_names}] * s)
        data = stack([t.data for t in trainers])
        chunk = jax.jit(jax.vmap(trainers[0].chunk_fn(phase, args.steps), in_axes=(0, 0, 0, None, 0)))
        start = jnp.int32(runs[0].phase_end(args.phase) - phase.steps)  # the phase starts with a fresh state there
        compile_s, together = timed(lambda: chunk(params, state, weights, start, data), args.repeats)
        single = trainers[0].chunk(phase, args.steps)
        w1 = {k: jnp.float32(1.0) for k in trainers[0].term_names}
        state1 = phase.optimizer.init(trainers[0].params0)
        _, alone = timed(lambda: single(trainers[0].params0, state1, w1, start), args.repeats)
        one = alone if one is None else one
        rows.append({"seeds": s, "vmapped ms / step": together / args.steps * 1e3,
                     "S separate runs ms / step": s * alone / args.steps * 1e3, "vmapped / one seed": together / one,
                     "compile s (vmapped)": compile_s})
        print(f"{s:>5} {together / args.steps * 1e3:16.2f} {s * alone / args.steps * 1e3:17.2f} "
              f"{together / one:19.2f} {compile_s:20.1f}", flush=True)
    if args.out:
        what = f"{args.scale} {args.pde} {args.method}, phase {phase_label}, {args.steps} steps a chunk"
        write_record(args.out, "seeds_vmap", f"S seeds trained together vs one seed and S separate runs ({what})", rows)


if __name__ == "__main__":
    main()
