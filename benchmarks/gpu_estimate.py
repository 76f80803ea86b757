"""Predicted GPU hours of the paper scale's Table-2 training, from the step times a GPU check measured.

Cost model (an estimate, not a measurement): each (PDE, method) trains its seeds together (the paper scale's
``seeds_together: vmap``), so a cell group costs its optimizer iterations × the measured ms per step at that many seeds
(``benchmarks/gpu_check.py``'s ``step_times*.csv``): Adam and PINN-NTK steps as measured, Adam+L-BFGS its Adam steps
then L-BFGS iterations, GDND its NNCG iterations at the measured inexact setting (the faithful one: ``cg_maxiter``
HVPs per iteration plus the sketch's share). PCPINN trains one seed at a time and its step is priced where measured.
Cells whose steps were not measured are listed, not guessed. Compilation, evaluation and checkpoints are not counted.

    python benchmarks/gpu_estimate.py records/gpu_check/2026-11-27-h200 [--nncg inexact|faithful] [--out DIR]

``--out DIR`` writes the estimate as ``gpu_estimate.{md,json}`` with its provenance (``record.py``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from record import add_out_option, write_record  # benchmarks/ is the script's folder

from pinnlab.catalog import CONTINUES
from pinnlab.config import load_config, scale_config


def step_ms(record: Path) -> tuple[dict, str]:
    """(operation, pde, seeds) -> ms per step over every step_times*.csv of a record; the device."""
    t = pd.concat([pd.read_csv(f) for f in sorted(record.glob("step_times*.csv"))])
    devices = {json.loads(f.read_text())["device"] for f in record.glob("record*.json")}
    return {(r.operation, r.pde, int(r.seeds)): float(r.ms_per_step) for r in t.itertuples()}, ", ".join(devices)


def cell_seconds(method: str, proto: dict, ms: dict, pde: str, seeds: int, nncg: str) -> float | None:
    """Seconds of one (PDE, method) cell group, or None where a needed step was not measured."""
    def get(op, n=seeds):
        return ms.get((op, pde, n))

    it = proto["iterations"]
    if method == "adam" and get("adam"):
        return it * get("adam") / 1e3
    if method == "pinn_ntk" and get("pinn_ntk"):
        return it * get("pinn_ntk") / 1e3
    if method == "adam_lbfgs" and get("adam") and get("lbfgs"):
        a = proto["lbfgs"]["adam_steps"]
        return (a * get("adam") + (it - a) * get("lbfgs")) / 1e3
    if method in CONTINUES and not method.startswith("pcpinn"):
        s = proto["nncg"]
        if nncg == "inexact" and get("nncg"):
            return s["steps"] * get("nncg") / 1e3
        if nncg == "faithful" and get("hvp"):
            return s["steps"] * (s["cg_maxiter"] + s["rank"] / s["precond_every"]) * get("hvp") / 1e3
    if method == "pcpinn" and get("pcpinn", 1):
        return seeds * it * get("pcpinn", 1) / 1e3  # one seed at a time
    return None


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("record", type=Path, help="a folder of records/gpu_check/")
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--nncg", choices=("inexact", "faithful"), default="inexact")
    add_out_option(p)
    args = p.parse_args(argv)
    sc = scale_config(load_config(args.config), "paper")
    ms, device = step_ms(args.record)
    seeds = len(sc["seeds"])
    methods = list(sc["table2"]["methods"])
    methods += [CONTINUES[m] for m in methods if m in CONTINUES and CONTINUES[m] not in methods]
    rows, missing = [], []
    for pde in sc["table2"]["pdes"]:
        for method in methods:
            s = cell_seconds(method, sc["protocols"][pde], ms, pde, seeds, args.nncg)
            (missing.append(f"{pde}/{method}") if s is None else rows.append((pde, method, s)))
    t = pd.DataFrame(rows, columns=["pde", "method", "seconds"])
    print(f"paper-scale Table 2 on {device} ({seeds} seeds vmapped, NNCG {args.nncg}), from {args.record}:")
    print(t.pivot(index="pde", columns="method", values="seconds").div(3600).round(2).to_string())
    print(f"measured cells: {t.seconds.sum() / 3600:.1f} GPU hours; by method: "
          + ", ".join(f"{m} {v / 3600:.1f} h" for m, v in t.groupby("method").seconds.sum().items()))
    print(f"not priced (steps not measured): {', '.join(missing) or 'none'}")
    if args.out:
        write_record(args.out, "gpu_estimate", f"Predicted GPU hours of the paper-scale Table 2 on {device} ({seeds} "
                     f"seeds vmapped, NNCG {args.nncg}), from {args.record}: an estimate, not a measurement",
                     [{"pde": r.pde, "method": r.method, "GPU hours": r.seconds / 3600} for r in t.itertuples()],
                     f"Not priced (steps not measured): {', '.join(missing) or 'none'}.")


if __name__ == "__main__":
    main()
