"""Cost of learning-rate annealing: ms per step of the Klein–Gordon models M1–M4 and the overhead of M2 over M1 and
of M4 over M3 — the timing of the DAG's ``annealing_cost`` rule (``pinnlab.experiments.annealing_cost``), printed.

    python benchmarks/annealing_cost.py [--scale quick] [--steps 200] [--repeats 7] [--out DIR]

``--out DIR`` writes the table as ``annealing_cost.{md,json}`` with its provenance (``record.py``).
"""

from __future__ import annotations

import argparse

import jax
from record import add_out_option, write_record  # benchmarks/ is the script's folder

from pinnlab.catalog import KLEINGORDON_MODELS
from pinnlab.config import load_config
from pinnlab.experiments.annealing_cost import step_times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scale", default="quick")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--repeats", type=int, default=7)
    add_out_option(p)
    args = p.parse_args()
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; Klein–Gordon {args.scale}")
    t = step_times(load_config(args.config), args.scale, list(KLEINGORDON_MODELS), args.steps, args.repeats)
    ms = t.groupby("model").ms_per_step
    for m, best in ms.min().items():
        print(f"{m}: best {best:.3f} ms/step, median {ms.median()[m]:.3f} of {args.repeats} interleaved repeats")
    best = ms.min()
    print(f"annealing overhead, best of repeats: M2 / M1 − 1 = {100 * (best['M2'] / best['M1'] - 1):+.1f} %, "
          f"M4 / M3 − 1 = {100 * (best['M4'] / best['M3'] - 1):+.1f} %")
    if args.out:
        without = {"M2": "M1", "M4": "M3"}  # the model each annealed one is compared with
        rows = [{"model": m, "best ms / step": best[m], "median ms / step": ms.median()[m],
                 "overhead of annealing, best of repeats": (f"{100 * (best[m] / best[without[m]] - 1):+.1f} % vs "
                                                            f"{without[m]}" if m in without else "—")}
                for m in best.index]
        write_record(args.out, "annealing_cost", f"Klein–Gordon ms per step of each model ({args.scale} scale, "
                     f"{args.steps} steps per chunk, {args.repeats} interleaved repeats)", rows)


if __name__ == "__main__":
    main()
