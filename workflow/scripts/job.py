"""The one script of every rule: set the job's process up, run the rule's job function, report user mistakes in
one line, and record which pinnlab modules the job loaded and what made its outputs.

The job function is ``<params.job>.<rule name>`` (``pinnlab.experiments.table2.train_table2``); it takes the
``snakemake`` object (``pinnlab.job``). The records: ``<log>.modules.json`` lets tests/test_import_graph.py check
that every module a job ran is among its rule's code inputs; ``<log>.provenance.json`` says which commit (and
whether the tree had uncommitted changes), software, device and machine made the job's outputs, when and how long it
took — what ``records/collect.py`` keeps with a study's tables, which have no run summaries.
"""

import importlib
import json
import os
import sys
import time
from datetime import UTC, datetime


def setup(snakemake):
    """Keep freed memory for the next compiled call (``pinnlab.allocator``); send stdout/stderr (progress bars,
    tracebacks) to the rule's log; keep XLA to the job's threads and to its share of the GPU.

    XLA's CPU backend otherwise starts a thread pool over every core; with several jobs side by side
    they fight over the cores (measured: a quick Burgers run 21 s alone with 2 threads, 19 s with 1,
    35 s when two 2-thread jobs share 2 cores). The flags do nothing on a GPU.
    """
    from pinnlab.allocator import keep_freed_memory  # JAX-free; before the first compiled call

    keep_freed_memory()
    handle = open(snakemake.log[0], "w", buffering=1)
    sys.stdout = sys.stderr = handle
    if snakemake.threads == 1 and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    os.environ.setdefault("JAX_DEFAULT_MATMUL_PRECISION", snakemake.config["matmul_precision"])
    gpu_settings(snakemake.config["jax"], snakemake.resources.get("gpu", 0))
    compilation_cache(snakemake.config["jax"])


def compilation_cache(jax_cfg):
    """JAX's persistent compilation cache, shared by the DAG's jobs: the many jobs of a sweep compile the same
    programs (same shapes, other seeds or widths repeat), and a re-run after an interruption compiles nothing.
    In a git-ignored folder; programs that compile in under ``cache_min_compile_s`` get no disk entry (the default 0
    caches all: a job's small programs, each a fraction of a second to compile, add up to seconds a job)."""
    if jax_cfg["compilation_cache"]:
        os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", os.path.abspath(jax_cfg["compilation_cache"]))
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", str(jax_cfg["cache_min_compile_s"]))


def gpu_settings(jax_cfg, gpus):
    """The config's ``jax`` block as XLA's environment variables; a variable already set wins.

    A rule that does not declare ``resources: gpu`` runs JAX on the CPU: it may run beside a GPU job
    (profiles/gpu), and would otherwise take GPU memory from it.
    """
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", str(jax_cfg["preallocate"]).lower())
    # jaxlib refuses both names together; XLA_PYTHON_CLIENT_MEM_FRACTION is the deprecated one
    if "XLA_PYTHON_CLIENT_MEM_FRACTION" not in os.environ:
        os.environ.setdefault("XLA_CLIENT_MEM_FRACTION", str(jax_cfg["memory_fraction"]))
    if not gpus:
        os.environ.setdefault("JAX_PLATFORMS", "cpu")


def pinnlab_modules() -> dict[str, str]:
    """The pinnlab modules now loaded: name → file (absolute path)."""
    return {name: os.path.realpath(m.__file__) for name, m in list(sys.modules.items())
            if (name == "pinnlab" or name.startswith("pinnlab.")) and getattr(m, "__file__", None)}


def record_modules(snakemake, runner: set[str]):
    """``<log>.modules.json``: the rule, its declared inputs, the files of the pinnlab modules now loaded
    (absolute paths) and, apart, those the runner loaded for its own records before the job started (``runner``:
    pinnlab.machine for the commit; they make no output, so they are not the rule's code inputs)."""
    loaded = pinnlab_modules()
    inputs = sorted(os.path.realpath(p) for p in snakemake.input)
    with open(snakemake.log[0] + ".modules.json", "w") as out:
        json.dump({"rule": snakemake.rule, "inputs": inputs,
                   "modules": sorted(f for name, f in loaded.items() if name not in runner),
                   "runner_modules": sorted(f for name, f in loaded.items() if name in runner)}, out, indent=1)


def record_provenance(snakemake, started: float, wall_s: float, status: str) -> None:
    """``<log>.provenance.json``: the rule and wildcards, commit (the one taken when the job started), software,
    device, machine, start and wall time."""
    from importlib.metadata import PackageNotFoundError, version

    from pinnlab.machine import describe_machine, git_commit

    versions = {"python": sys.version.split()[0]}
    for package in ("jax", "jaxlib", "flax", "optax", "numpy", "scipy"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            pass
    jax = sys.modules.get("jax")  # only a job that ran JAX has a device
    device = f"{jax.devices()[0].platform}:{jax.devices()[0].device_kind}" if jax else None
    record = {"rule": snakemake.rule, "wildcards": dict(snakemake.wildcards.items()), "status": status,
              "git_commit": git_commit(), "versions": versions, "device": device,
              "matmul_precision": snakemake.config["matmul_precision"], "machine": describe_machine(),
              "threads": snakemake.threads, "wall_time_s": round(wall_s, 1),
              "started": datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds")}
    with open(snakemake.log[0] + ".provenance.json", "w") as out:
        json.dump(record, out, indent=1)


def run(snakemake):
    setup(snakemake)  # before any pinnlab import: the environment is set before JAX could start
    from pinnlab.machine import git_commit

    git_commit()  # the commit of the job's code is the one it starts with; later calls return this one
    runner = set(pinnlab_modules()) - {"pinnlab"}  # the package itself is in every rule's code inputs
    started, t0, status = time.time(), time.perf_counter(), "failed"
    try:
        from pinnlab.errors import PinnlabError

        job = getattr(importlib.import_module(snakemake.params.job), snakemake.rule)
        try:
            job(snakemake)
            status = "ok"
        except PinnlabError as exc:  # a mistake the user can fix: one line, no traceback
            print(f"pinnlab: error: {exc}", file=sys.stderr)
            print(f"pinnlab: error: {exc}", file=sys.__stderr__)
            sys.exit(1)
    finally:
        record_modules(snakemake, runner)
        record_provenance(snakemake, started, time.perf_counter() - t0, status)


if "snakemake" in globals():
    run(snakemake)  # noqa: F821 - the object Snakemake gives a script
