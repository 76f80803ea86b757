"""Benchmark: peak host memory and seconds of one Fig. 1b (width, seed) pair, per PDE, and what they predict at the
scale's widest network.

    python benchmarks/fig1b_memory.py [--scale paper] [--pdes burgers heat2d_lt] [--widths 250 500 1000]
                                      [--iterations 3] [--glibc-default] [--out DIR]

Each (PDE, width) runs ``pinnlab.experiments.fig1b.residual_norms`` for one seed on the scale's residual points, in
a fresh single-threaded process (as the ``fig1b_norms`` job runs: one XLA thread), which reports its own peak
resident memory (``ru_maxrss``) and wall time. The three matrix-free Lanczos runs keep every intermediate of the
residuals' second derivatives at all points alive at once, so the peak grows linearly with width × points; a
least-squares line through the measured widths gives the peak at the scale's widest network (the prediction column),
which is what a job needs (``mem_mb``) and what decides whether a machine can run it at all. The process keeps
freed memory as a DAG job does (``pinnlab.allocator``), unless ``--glibc-default``. Seconds are measured
with a few Lanczos iterations, so compare them between PDEs of one run (side by side), not with a job's log.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from record import add_out_option, write_record  # benchmarks/ is the script's folder

from pinnlab.allocator import describe

CONFIG = Path(__file__).resolve().parents[1] / "config" / "config.yaml"
ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


def child(scale: str, pde_name: str, width: int, iterations: int, kept: bool) -> dict:
    """Run one pair in this process (with ``pinnlab.allocator``'s setting if ``kept``); its peak RSS and seconds."""
    from pinnlab.allocator import keep_freed_memory

    if kept:
        keep_freed_memory()  # as workflow/scripts/job.py does
    from pinnlab.config import load_config, protocol, scale_config
    from pinnlab.experiments.fig1b import residual_norms
    from pinnlab.pdes import pde_from_config
    from pinnlab.sampling import PointSpec

    cfg = load_config(CONFIG)
    spec = PointSpec.from_config(protocol(cfg, scale, pde_name)["points"])
    block = scale_config(cfg, scale)["fig1b"]
    start = time.perf_counter()
    residual_norms(pde_from_config(cfg, pde_name), spec, [width], [0], iterations, cfg["loss_convention"],
                   block["x64"])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    return {"peak_mb": peak_kib * 1024 / 1e6, "seconds": seconds, "n_res": spec.n_res}  # MB, as Snakemake's mem_mb


def measure(scale: str, pde: str, width: int, iterations: int, kept: bool) -> dict:
    """``child`` in a fresh process, so that each peak is its own."""
    env = {**os.environ, "XLA_FLAGS": ONE_THREAD, "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, __file__, "--child", scale, pde, str(width), str(iterations), str(int(kept))],
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{pde} at width {width} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def line_at(widths, values, at: float) -> tuple[float, float, float]:
    """(intercept, slope, value at ``at``) of the least-squares line through (widths, values)."""
    slope, intercept = np.polyfit(np.asarray(widths, float), np.asarray(values, float), 1)
    return float(intercept), float(slope), float(intercept + slope * at)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        scale, pde, width, iterations, kept = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        print(json.dumps(child(scale, pde, width, iterations, kept == "1")), flush=True)
        return
    from pinnlab.config import load_config, scale_config

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", default="paper")
    p.add_argument("--pdes", nargs="+", help="default: the scale's Fig. 1b PDEs")
    p.add_argument("--widths", nargs="+", type=int, default=[250, 500, 1000],
                   help="at least two: the line through them predicts the widest network")
    p.add_argument("--iterations", type=int, default=3, help="Lanczos iterations (the peak does not depend on them)")
    p.add_argument("--glibc-default", action="store_true",
                   help="leave glibc's allocator as it is in the measured process (a DAG job keeps freed memory)")
    add_out_option(p)
    args = p.parse_args()
    if len(set(args.widths)) < 2:
        p.error("--widths needs at least two different widths to fit a line")
    block = scale_config(load_config(CONFIG), args.scale)["fig1b"]
    pdes, widest = args.pdes or block["pdes"], max(block["widths"])
    unknown = set(pdes) - set(block["pdes"])
    if unknown:
        p.error(f"--pdes {sorted(unknown)} not in the {args.scale} scale's Fig. 1b PDEs {block['pdes']}")
    rows = []
    for pde in pdes:
        found = []
        for width in args.widths:
            m = measure(args.scale, pde, width, args.iterations, not args.glibc_default)
            found.append(m)
            print(f"{pde} width {width}: peak {m['peak_mb']:.0f} MB, {m['seconds']:.1f} s "
                  f"({m['n_res']} points, {args.iterations} Lanczos iterations)", flush=True)
        base, per_width, at_widest = line_at(args.widths, [m["peak_mb"] for m in found], widest)
        rows.append({"pde": pde, "points": found[0]["n_res"],
                     **{f"peak MB w{w}": m["peak_mb"] for w, m in zip(args.widths, found)},
                     **{f"s w{w}": m["seconds"] for w, m in zip(args.widths, found)},
                     "base MB": base, "MB per width": per_width, f"predicted peak MB w{widest}": at_widest})
        print(f"{pde}: peak ≈ {base:.0f} MB + {per_width:.2f} MB × width → {at_widest:.0f} MB at width {widest}",
              flush=True)
    if args.out:
        write_record(args.out, "fig1b_memory",
                     f"Fig. 1b ({args.scale}): peak memory and seconds of one (width, seed) pair, one XLA thread",
                     rows, f"Peak resident memory of a fresh process per pair (ru_maxrss); {args.iterations} Lanczos "
                     f"iterations; the prediction is the least-squares line through the measured widths. Allocator: "
                     f"{describe(not args.glibc_default)}.")


if __name__ == "__main__":
    main()
