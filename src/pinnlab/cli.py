"""Command line: ``python -m pinnlab <verb>``, the DAG's jobs without Snakemake.

Verbs: ``reference`` (make a reference solution), ``train`` (one Table-2 run), ``table2`` (the table from run
summaries), ``check-config``. Each verb builds the job that the rule of the same work would get (paths from
``pinnlab.layout``) and calls the same job function. User mistakes are printed as one clear message, without a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pinnlab.allocator import keep_freed_memory
from pinnlab.errors import PinnlabError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pinnlab", description=__doc__)
    p.add_argument("--config", default="config/config.yaml", help="experiment config (default: %(default)s)")
    sub = p.add_subparsers(dest="verb", required=True)

    r = sub.add_parser("reference", help="make data/reference/<pde>.npz and its JSON sidecar")
    r.add_argument("--pde", required=True)
    r.add_argument("--out", help="output path (default: <reference_dir>/<pde>.npz)")

    t = sub.add_parser("train", help="train one Table-2 run and write its artifacts")
    t.add_argument("--scale", required=True)
    t.add_argument("--pde", required=True)
    t.add_argument("--method", required=True)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", help="run directory (default: the DAG's results/<scale>/table2/... path)")
    t.add_argument("--no-progress", action="store_true")

    tb = sub.add_parser("table2", help="write table2_l2re.{csv,md,tex} from run summaries")
    tb.add_argument("--scale", required=True)
    tb.add_argument("--out", required=True, help="CSV path; .md and .tex are written beside it")
    tb.add_argument("summaries", nargs="+")

    sub.add_parser("check-config", help="validate the config and exit")
    return p


def reference_job(cfg: dict, pde: str, out: str | None):
    from pinnlab.job import make_job
    from pinnlab.layout import Layout

    npz = out or Layout.of(cfg).reference(pde)
    return make_job(cfg, wildcards={"pde": pde}, output={"npz": npz, "json": str(Path(npz).with_suffix(".json"))},
                    params={"constants": cfg.get("pde_constants", {}).get(pde, {})}, rule="reference")


def train_job(cfg: dict, scale: str, pde: str, method: str, seed: int, out: str | None):
    from pinnlab.config import protocol
    from pinnlab.job import make_job
    from pinnlab.layout import Layout, continued_key, table2_run
    from pinnlab.training.methods import build_phases

    build_phases(method, protocol(cfg, scale, pde))  # names an unknown PDE, scale or method before any work
    paths, key = Layout.of(cfg), table2_run(cfg, scale, pde, method, seed)
    outputs = paths.run_files(key)
    if out:
        outputs = {name: str(Path(out) / Path(path).name) for name, path in outputs.items()}
    inputs = {"reference": paths.reference(pde)}
    if continued_key(key):
        inputs["continues"] = paths.run(continued_key(key))
    return make_job(cfg, wildcards=key._asdict(), input=inputs, output=outputs, rule="train_table2")


def table2_job(cfg: dict, scale: str, out: str, summaries: list[str]):
    from pinnlab import commands
    from pinnlab.config import scale_config
    from pinnlab.job import make_job
    from pinnlab.layout import Layout
    from pinnlab.training.artifacts import read_summary

    scale_config(cfg, scale)  # names an unknown scale
    for path in summaries:
        if any(c in path for c in "*?[") and not Path(path).exists():  # a pattern the shell matched to nothing
            raise PinnlabError(f"no run summary matches {path}: train the runs first "
                               f"(`{commands.target('table2', scale=scale)}`, or `python -m pinnlab train`)")
    pdes = set()
    for path in summaries:
        summary = read_summary(path)
        if summary["scale"] != scale:
            raise PinnlabError(f"{path} is a run of the {summary['scale']} scale, not of {scale}: give "
                               f"--scale {summary['scale']}, or the summaries of the {scale} scale")
        pdes.add(summary["pde"])
    # the references of the runs' PDEs give the trivial baselines, as in rule table2_l2re
    references = [Layout.of(cfg).reference(pde) for pde in sorted(pdes)]
    if missing := [r for r in references if not Path(r).exists()]:
        raise PinnlabError("Table 2's trivial baselines come from the reference solutions of its PDEs; make "
                           + ", ".join(f"{r} with `python -m pinnlab reference --pde {Path(r).stem}`" for r in missing))
    csv = Path(out)
    return make_job(cfg, wildcards={"scale": scale}, input={"summaries": summaries, "references": references},
                    output={"csv": str(csv), "md": str(csv.with_suffix(".md")), "tex": str(csv.with_suffix(".tex")),
                            "runs": str(csv.with_name(csv.stem.removesuffix("_l2re") + "_runs.csv"))},
                    rule="table2_l2re")


def main(argv=None) -> int:
    keep_freed_memory()  # before the first compiled call
    args = _parser().parse_args(argv)
    try:
        from pinnlab.config import load_config

        cfg = load_config(args.config)
        # JAX reads its settings when first imported: set them before any job imports it
        os.environ.setdefault("JAX_DEFAULT_MATMUL_PRECISION", cfg["matmul_precision"])
        if args.verb == "reference":
            from pinnlab.experiments.reference import reference

            reference(reference_job(cfg, args.pde, args.out))
        elif args.verb == "train":
            if args.no_progress:
                os.environ["TQDM_DISABLE"] = "1"
            job = train_job(cfg, args.scale, args.pde, args.method, args.seed, args.out)
            from pinnlab.experiments.table2 import train_table2

            train_table2(job)
        elif args.verb == "table2":
            from pinnlab.report.table2 import table2_l2re

            table2_l2re(table2_job(cfg, args.scale, args.out, args.summaries))
        elif args.verb == "check-config":
            print(f"{args.config}: valid")
    except PinnlabError as exc:
        print(f"pinnlab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a folder that cannot be written, a disk that is full: the system's reason, no traceback
        print(f"pinnlab: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
