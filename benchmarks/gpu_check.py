"""The prepared GPU check (issue #15, item 4): the one script a session with a lent GPU runs as it is.

At a scale's sizes (``paper`` by default) on whatever device JAX finds, it measures and writes under ``--out``:

- ``step_times.csv``: ms per iteration of every method's compiled step for every PDE, with 1 and S vmapped seeds
  (each chunk the training loop's own program, compilation timed apart, median of repeats): an Adam step, an
  L-BFGS iteration, one Hessian-vector product, an inexact NNCG iteration (the scale's ``nncg_comparison.inexact``
  setting, from the initialisation), a PINN-NTK step on its wider network (its weight update every ``every``
  steps included) and the update alone, a PCPINN Adam step (one seed: its preconditioner solves on the host);
  peak device memory after each.
- ``cell_<pde>_<method>.csv``: one Table-2 cell group at the scale's protocol, end to end through the training
  loop (every seed vmapped): final L2RE, loss, status and wall time per seed.
- ``record.json``: provenance (commit, date, device, versions, command, wall time), the cell groups' predicted
  and measured wall times, and what was skipped and why.

The work is ordered by value and stops at ``--budget-s``: what did not fit is listed as skipped, never silently
lost, and every file is rewritten after each measurement, so a killed run still leaves what it measured.

    python benchmarks/gpu_check.py --out DIR [--scale paper] [--budget-s 480] [--commit SHA]
    python benchmarks/gpu_check.py --out /tmp/g --scale smoke --budget-s 120   # what the test runs on a CPU

On a lent GPU (``device``): carry our pinned optax and jsonschema (with referencing, jsonschema-specifications,
rpds-py) as wheels, not Flax — the machine's own Flax matches its JAX, ours does not import there — and put
``src`` on PYTHONPATH. Compiling each program takes seconds to a minute there (see the compile times in
records/gpu_check/), so a budget covers fewer operations than on a CPU. Keep the result under
``records/gpu_check/<date>-<device>/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.config import load_config, protocol, scale_config
from pinnlab.evaluate import Reference
from pinnlab.experiments.runs import train_and_write
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.paper import TABLE2_PDES
from pinnlab.pdes import pde_from_config
from pinnlab.reference.build import build_reference
from pinnlab.training.artifacts import provenance
from pinnlab.training.loop import over_seeds, stack
from pinnlab.training.methods import build_phases
from pinnlab.training.trainer import Trainer
from pinnlab.training.weighting import make_weight_update

OPERATIONS = ("adam", "lbfgs", "hvp", "nncg", "pinn_ntk", "ntk_update", "pcpinn")
"""What is timed; each a row of ``step_times.csv`` per PDE and seed count."""
VMAPPED = ("adam", "lbfgs", "hvp", "nncg", "pinn_ntk", "ntk_update")
"""Operations timed with S seeds together (PCPINN trains one seed at a time: its solves run on the host)."""
STEP_COLUMNS = ("pde", "operation", "seeds", "network", "params", "steps_per_call", "ms_per_step",
                "ms_per_step_per_seed", "compile_s", "repeats", "peak_device_mb", "note")


def peak_device_mb() -> float | None:
    stats = jax.devices()[0].memory_stats() or {}
    return round(stats["peak_bytes_in_use"] / 2**20, 1) if "peak_bytes_in_use" in stats else None


def timed(fn, repeats: int) -> tuple[float, float]:
    """(seconds of the first call, which compiles; median seconds of ``repeats`` further calls)."""
    t0 = time.perf_counter()
    jax.block_until_ready(fn())
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times)


def flat_reference(pde) -> Reference:
    """A 3-point-per-axis stand-in: evaluation is not part of any timed program."""
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(pde.lower, pde.upper))
    return Reference(axes, np.ones([3] * pde.dim), {})


def seed_group(cfg: dict, scale: str, pde: str, method: str, n: int):
    """(trainers of seeds 0..n-1 of ``method``, their parameters, unit weights and data stacked on a seed axis)."""
    runs = [resolve_run(cfg, scale, pde, method, seed, continues=None) for seed in range(n)]
    trainers = [Trainer(r, flat_reference(r.pde)) for r in runs]
    weights = {k: jnp.float32(1.0) for k in trainers[0].term_names}
    return (trainers, stack([t.params0 for t in trainers]), stack([weights] * n),
            stack([t.data for t in trainers]))


def time_phase(trainers, params, weights, data, phase, steps: int, repeats: int):
    n = len(trainers)
    chunk = jax.jit(over_seeds(trainers[0].chunk_fn(phase, steps), n, (0, 0, 0, None, 0)))
    opt_state = jax.vmap(phase.optimizer.init)(params)
    return timed(lambda: chunk(params, opt_state, weights, jnp.int32(0), data), repeats)


def measure(cfg: dict, scale: str, pde: str, operation: str, n: int, repeats: int) -> dict:
    """One row of ``step_times.csv``: ``operation`` on ``pde`` at the scale's protocol with ``n`` seeds."""
    proto = protocol(cfg, scale, pde)
    steps, note = 1, ""
    if operation == "pcpinn":
        run = resolve_run(cfg, scale, pde, "pcpinn", 0)
        trainer = Trainer(run, flat_reference(run.pde))
        t0 = time.perf_counter()
        trainer.before_chunk(0, trainer.params0)  # the ILU of the linearised scheme, on the host
        note = f"preconditioner built on the host in {time.perf_counter() - t0:.1f} s"
        steps, phase = proto["log_every"], run.phases[0]
        weights = {k: jnp.float32(1.0) for k in trainer.term_names}
        chunk = trainer.chunk(phase, steps)
        state = phase.optimizer.init(trainer.params0)
        first, median = timed(lambda: chunk(trainer.params0, state, weights, jnp.int32(0)), repeats)
        trainers = [trainer]
    elif operation in ("pinn_ntk", "ntk_update"):
        trainers, params, weights, data = seed_group(cfg, scale, pde, "pinn_ntk", n)
        phase = trainers[0].run.phases[0]
        if operation == "pinn_ntk":  # one weight update per `every` steps, as in training
            steps = phase.weighting["every"]
            first, median = time_phase(trainers, params, weights, data, phase, steps, repeats)
        else:
            update = make_weight_update(phase.weighting, trainers[0].run.pde, trainers[0].net,
                                        trainers[0].run.loss_convention)
            fn = jax.jit(over_seeds(lambda p, d: update(p, 0, None, None, d["weight_key"]), n, (0, 0)))
            first, median = timed(lambda: fn(params, data), repeats)
    else:
        trainers, params, weights, data = seed_group(cfg, scale, pde, "adam", n)
        if operation == "adam":
            steps = proto["log_every"]
            first, median = time_phase(trainers, params, weights, data, trainers[0].run.phases[0], steps,
                                       repeats)
        elif operation == "lbfgs":
            steps = max(1, proto["log_every"] // 10)
            first, median = time_phase(trainers, params, weights, data, build_phases("adam_lbfgs", proto)[-1],
                                       steps, repeats)
        elif operation == "nncg":
            inexact = scale_config(cfg, scale)["nncg_comparison"]["inexact"]
            nncg = build_phases("gdnd", proto | {"nncg": proto["nncg"] | inexact})[0]
            steps, note = 2, "inexact setting, from the initialisation: " + ", ".join(
                f"{k} {v}" for k, v in inexact.items() if k != "steps")
            first, median = time_phase(trainers, params, weights, data, nncg, steps, repeats)
        elif operation == "hvp":
            t = trainers[0]

            def hvp(p, w, d):  # forward over reverse, as pinnlab.curvature.hvp, on the parameter tree
                loss = lambda q: t.objective(q, t.batch(0, d), w)[0]  # noqa: E731
                return jax.jvp(jax.grad(loss), (p,), (p,))[1]

            fn = jax.jit(over_seeds(hvp, n, (0, 0, 0)))
            first, median = timed(lambda: fn(params, weights, data), repeats)
        else:
            raise ValueError(f"unknown operation {operation!r}; known: {OPERATIONS}")
    net = trainers[0].run.network
    n_params = sum(x.size for x in jax.tree.leaves(trainers[0].params0))
    ms = median / steps * 1e3
    return {"pde": pde, "operation": operation, "seeds": n, "network": f"{net['depth']}x{net['width']}",
            "params": n_params, "steps_per_call": steps, "ms_per_step": round(ms, 4),
            "ms_per_step_per_seed": round(ms / n, 4), "compile_s": round(max(first - median, 0.0), 2),
            "repeats": repeats, "peak_device_mb": peak_device_mb(), "note": note}


def run_cell(cfg: dict, scale: str, pde: str, method: str, seeds: list[int], work: Path) -> list[dict]:
    """The cell group (``pde``, ``method``) at the scale's protocol, every seed vmapped, through the training loop."""
    ref = work / "reference" / f"{pde}.npz"
    if not ref.exists():
        build_reference(pde_from_config(cfg, pde), ref)
    runs = [resolve_run(cfg, scale, pde, method, s) for s in seeds]
    dirs = [work / "runs" / pde / method / f"s{s}" for s in seeds]
    t0 = time.perf_counter()
    summaries = train_and_write(runs, ref, dirs, progress=False)
    wall = time.perf_counter() - t0
    return [{"pde": pde, "method": method, "seed": s["seed"], "status": s["status"],
             "iterations": s["iterations"], "steps_completed": s["steps_completed"],
             "final_l2re": s["final"].get("l2re"), "final_loss": s["final"].get("loss"),
             "best_logged_l2re": s["best_logged_l2re"], "group_wall_s": round(wall, 1)} for s in summaries]


def predicted_cell_s(cfg: dict, scale: str, pde: str, method: str, rows: list[dict], n: int) -> float | None:
    """Seconds of a cell group from the measured steps at ``n`` seeds (None if a needed step is unmeasured)."""
    proto = protocol(cfg, scale, pde)
    ms = {r["operation"]: r["ms_per_step"] for r in rows if r["pde"] == pde and r["seeds"] == n}
    iterations = proto["iterations"]
    if method == "adam" and "adam" in ms:
        return iterations * ms["adam"] / 1e3
    if method == "adam_lbfgs" and {"adam", "lbfgs"} <= ms.keys():
        adam = proto["lbfgs"]["adam_steps"]
        return (adam * ms["adam"] + (iterations - adam) * ms["lbfgs"]) / 1e3
    return None


@dataclass
class Check:
    out: Path
    deadline: float
    started: float
    record: dict
    rows: list = field(default_factory=list)
    cells: list = field(default_factory=list)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def skip(self, what: str, why: str) -> None:
        self.record["skipped"].append({"what": what, "why": why})
        print(f"[gpu_check] skipped {what}: {why}", flush=True)

    def save(self) -> None:
        with open(self.out / "step_times.csv", "w", newline="") as f:
            w = csv.DictWriter(f, STEP_COLUMNS)
            w.writeheader()
            w.writerows(self.rows)
        for (pde, method) in {(c["pde"], c["method"]) for c in self.cells}:
            cell = [c for c in self.cells if (c["pde"], c["method"]) == (pde, method)]
            with open(self.out / f"cell_{pde}_{method}.csv", "w", newline="") as f:
                w = csv.DictWriter(f, list(cell[0]))
                w.writeheader()
                w.writerows(cell)
        self.record["wall_s"] = round(time.perf_counter() - self.started, 1)
        (self.out / "record.json").write_text(json.dumps(self.record, indent=2, default=str) + "\n")

    def step(self, cfg, scale, pde, operation, n, repeats, min_left: float) -> None:
        what = f"{operation} {pde} {n} seed(s)"
        if self.left() < min_left:
            return self.skip(what, f"{self.left():.0f} s of the budget left, under the {min_left:.0f} s kept")
        try:
            row = measure(cfg, scale, pde, operation, n, repeats)
        except Exception as exc:  # a failed measurement is recorded; the others still run
            self.record["failed"].append({"what": what, "error": f"{type(exc).__name__}: {exc}"})
            print(f"[gpu_check] FAILED {what}: {type(exc).__name__}: {exc}", flush=True)
            return self.save()
        self.rows.append(row)
        print(f"[gpu_check] {what:<32} {row['network']:>6} {row['ms_per_step']:9.3f} ms/step "
              f"(compile {row['compile_s']:.1f} s, peak {row['peak_device_mb']} MB) {self.left():.0f} s left",
              flush=True)
        self.save()

    def cell(self, cfg, scale, pde, method, seeds, work, share: float) -> None:
        what = f"cell group {pde}/{method} ({len(seeds)} seeds vmapped)"
        predicted = predicted_cell_s(cfg, scale, pde, method, self.rows, len(seeds))
        entry = {"pde": pde, "method": method, "seeds": len(seeds), "predicted_s": predicted}
        self.record["cells"].append(entry)
        if predicted is None:
            return self.skip(what, "its step times were not measured")
        if predicted * 1.3 + 30 > share * self.left():  # margin: evaluation, checkpoints, compilation
            return self.skip(what, f"predicted {predicted:.0f} s (+30 % and 30 s) > {share:.0%} of the "
                                   f"{self.left():.0f} s left")
        print(f"[gpu_check] {what}: predicted {predicted:.0f} s", flush=True)
        t0 = time.perf_counter()
        try:
            self.cells += run_cell(cfg, scale, pde, method, seeds, work)
        except Exception as exc:
            self.record["failed"].append({"what": what, "error": f"{type(exc).__name__}: {exc}"})
            print(f"[gpu_check] FAILED {what}: {type(exc).__name__}: {exc}", flush=True)
        entry["measured_s"] = round(time.perf_counter() - t0, 1)
        print(f"[gpu_check] {what}: {entry['measured_s']:.0f} s", flush=True)
        self.save()


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder for step_times.csv, cell_*.csv and record.json")
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--scale", default="paper")
    p.add_argument("--pdes", nargs="+", default=list(TABLE2_PDES))
    p.add_argument("--seeds", nargs="+", type=int, default=[10, 1], help="seed counts timed (the first first)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cell", default="reaction", help="the PDE of the cell group trained end to end")
    p.add_argument("--cell-methods", nargs="+", default=["adam", "adam_lbfgs"])
    p.add_argument("--budget-s", type=float, default=480.0, help="stop starting new work after this many seconds")
    p.add_argument("--work", help="folder for the cell group's runs (default: <out>_work beside --out)")
    p.add_argument("--commit", default=os.environ.get("PINNLAB_GIT_COMMIT"),
                   help="the commit of this tree (the device copy has no .git)")
    args = p.parse_args(argv)
    started = time.perf_counter()
    cfg = load_config(args.config)
    jax.config.update("jax_default_matmul_precision", cfg["matmul_precision"])  # as the DAG's jobs
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.commit:
        os.environ["PINNLAB_GIT_COMMIT"] = args.commit  # for the runs' summaries
    soft = provenance()
    device = jax.devices()[0]
    record = {"what": "pinnlab GPU check (benchmarks/gpu_check.py)", "scale": args.scale,
              "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
              "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
              "git_commit": args.commit or soft["git_commit"], "device": soft["device"],
              "device_count": jax.device_count(), "versions": soft["versions"],
              "matmul_precision": soft["matmul_precision"], "x64": soft["x64"],
              "machine": {"node": platform.node(), "cpus": os.cpu_count()}, "budget_s": args.budget_s,
              "cells": [], "skipped": [], "failed": []}
    check = Check(out, started + args.budget_s, started, record)
    print(f"[gpu_check] {device.platform} ({device.device_kind}), jax {jax.__version__}; scale {args.scale}; "
          f"budget {args.budget_s:.0f} s", flush=True)
    seeds = scale_config(cfg, args.scale)["seeds"]
    many = args.seeds[0]
    cell_n = min(len(seeds), many)
    # Value first: the cell group's own step times (they predict it), the cell group's Adam, every PDE's steps at
    # S seeds, the cell group's Adam+L-BFGS if it fits, one seed, PCPINN (host solves, large grids) last.
    for op in ("adam", "lbfgs"):
        check.step(cfg, args.scale, args.cell, op, cell_n, args.repeats, min_left=20)
    work = Path(args.work) if args.work else out.parent / f"{out.name}_work"
    if "adam" in args.cell_methods:
        check.cell(cfg, args.scale, args.cell, "adam", seeds[:cell_n], work, share=0.5)
    for pde in args.pdes:
        for op in VMAPPED:
            if not (pde == args.cell and cell_n == many and op in ("adam", "lbfgs")):
                check.step(cfg, args.scale, pde, op, many, args.repeats, min_left=30)
    for method in args.cell_methods:
        if method != "adam":
            check.cell(cfg, args.scale, args.cell, method, seeds[:cell_n], work, share=0.9)
    for n in args.seeds[1:]:
        for pde in args.pdes:
            for op in ("adam", "lbfgs", "hvp"):
                check.step(cfg, args.scale, pde, op, n, args.repeats, min_left=20)
    for pde in args.pdes:
        check.step(cfg, args.scale, pde, "pcpinn", 1, args.repeats, min_left=40)
    check.save()
    print(f"[gpu_check] done in {record['wall_s']:.0f} s: {len(check.rows)} step timings, {len(check.cells)} "
          f"cell runs, {len(record['skipped'])} skipped, {len(record['failed'])} failed → {out}", flush=True)


if __name__ == "__main__":
    main()
