# Configuration, validation, paths and the helpers every rule uses (no rules here).
#
# Each rule calls one job function of a pinnlab module, through workflow/scripts/job.py. The module is named by
# `params: job=<module>`, the function is named after the rule, and `input: code=code(<module>)` lists the
# module's import closure (pinnlab.import_graph), so that editing any module re-runs exactly the rules whose jobs
# use it.
import os
import sys
import threading

from snakemake.exceptions import WorkflowError

try:
    from pinnlab import catalog, commands
    from pinnlab.config import network_of, scale_config, validate_config
    from pinnlab.errors import PinnlabError
    from pinnlab.import_graph import code_inputs
    from pinnlab import host_memory, layout, stale_lock
except ImportError:
    sys.exit("pinnlab is not installed in this Python: run `pip install -e .` in the repository first")

try:
    validate_config(config)
    for scale in catalog.SCALES:  # two Fig. 1a configurations of one name (the wildcard constraints read them)
        layout.fig1a_configurations(config, scale)
except PinnlabError as exc:
    sys.exit(f"pinnlab: error: {exc}")

# A run killed with its lock held leaves the folder locked: release that lock, so that the same command continues
# (pinnlab.stale_lock says when a lock counts as left behind). Only in the main process: the jobs Snakemake spawns
# (on a cluster, on other machines) parse this file too.
if workflow.is_main_process:
    if note := stale_lock.release_stale_lock():
        print(note, file=sys.stderr)


def end_rate_limiter_timers():
    """Cancel the timers of Snakemake's job-rate limiter once the run is over (``onsuccess``, ``onerror``).

    The limiter (profiles/default: ``max-jobs-per-timespan``) re-examines the queue one timespan after each scheduling
    round with a ``threading.Timer``. The timers are not daemon threads, so Python waits for the last one before it
    exits: with the profile's timespan of a minute every run ended a minute after its last job. With every job done
    they have nothing left to schedule."""
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


SCALE = config["scale"]
PATHS = layout.Layout.of(config)
JOB_SCRIPT = "../scripts/job.py"  # relative to the rule files


def alternatives(names):
    return "|".join(str(name) for name in names)


# The widths each experiment trains at some scale: its rule's `width` wildcard takes only these, so that a typo in a
# requested path (w17) is refused before a job starts instead of failing inside it.
def table2_widths():
    return sorted({network_of(method, protocol)["width"] for sc in config["scales"].values()
                   for protocol in sc["protocols"].values() for method in catalog.TRAINED_METHODS})


def fig1a_widths():
    return sorted({width for scale in catalog.SCALES for c in layout.fig1a_configurations(config, scale)
                   for width in c["widths"]})


def kleingordon_widths():
    return sorted({sc["kleingordon"]["network"]["width"] for sc in config["scales"].values()})



RUNNER_IMPORTS = ("pinnlab.errors",)  # what workflow/scripts/job.py imports itself


def code(module):
    """The code inputs of a job that lives in ``module``: its import closure, the job script's own imports and
    the job script."""
    return [*code_inputs(module, *RUNNER_IMPORTS), "workflow/scripts/job.py"]


def every_core():
    """The cores Snakemake was given (a rule that takes them all runs with nothing beside it); 1 where none were
    given (`snakemake --report`, which runs no job)."""
    try:
        return workflow.cores
    except WorkflowError:
        return 1


def scale_cfg(scale):
    return scale_config(config, scale)


def run_files(keys, name):
    """One artifact (summary, metrics or params) of each run in ``keys``."""
    return [PATHS.run(key, name) for key in keys]


# `resources: gpu=1` marks the rules whose JAX work belongs on a GPU: profiles/gpu runs them one at a time
# (a global limit gpu=1), profiles/slurm asks SLURM for a GPU for each; without a limit (profiles/default)
# Snakemake does not constrain the resource. The other rules run JAX on the CPU (workflow/scripts/job.py).


def _local_gpu_available():
    import jax

    return any(d.platform == "gpu" for d in jax.devices())


def gpu_scale_on_cpu(scale):
    """The scale needs a GPU, this machine runs the jobs and has none, and the user has not forced it."""
    return bool(scale_cfg(scale).get("needs_gpu") and workflow.local_exec and not config["allow_cpu_paper"]
                and not _local_gpu_available())


GPU_RULES = {"train_table2", "train_table2_seeds", "train_fig1a", "train_fig1a_seeds"}
"""The training rules whose paper-scale jobs take a CPU years (Table 2: the estimate below; Fig. 1a: widths to 10⁴
with the NTK's Jacobian every 100 steps); the Hessian densities and the NNCG comparison follow Table 2's runs. The
others run on a CPU in hours at the paper scale (the records' measured wall times in records/paper/), which is what
the target ``paper_on_cpu`` makes."""


def memory_mb():
    """The host memory (MB) the jobs of this run share: ``--resources mem_mb=...`` if given, else this machine's
    (registered below for a local run). None on a cluster, where each job gets its own."""
    given = workflow.global_resources.get("mem_mb")
    return None if given is None else given.value


# A local run shares this machine's memory: the jobs that declare mem_mb (fig1b_norms) run side by side only when
# their needs fit together. `--resources mem_mb=...` sets another amount (mem=16GB and mem_mib=... arrive as mem_mb);
# a cluster gives each job its own. (The executor is chosen after this file is read, so `workflow.local_exec` still
# says "local" here; a cluster run has nodes, `--jobs`, which is how Snakemake's scheduler tells the two apart too.)
if workflow.global_resources["_nodes"].value is None and "mem_mb" not in workflow.global_resources:
    workflow.register_resource("mem_mb", host_memory.machine_mb())


def fig1b_mem_mb(scale, pde):
    """``mem_mb`` of a fig1b_norms job (pinnlab.host_memory: the measured peaks' line at the scale's widest width)."""
    cfg = scale_cfg(scale)
    return host_memory.fig1b_need_mb(max(cfg["fig1b"]["widths"]), cfg["protocols"][pde]["points"]["n_res"], pde)


def fig1b_beyond_memory(scale):
    """The PDEs whose Fig. 1b table needs more memory than this run has: {pde: MB needed}."""
    available = memory_mb()
    if available is None:
        return {}
    needs = {pde: fig1b_mem_mb(scale, pde) for pde in scale_cfg(scale)["fig1b"]["pdes"]}
    return {pde: mb for pde, mb in needs.items() if mb > available}


def fig1b_on_this_machine(scale):
    """What ``paper_on_cpu`` makes of Fig. 1b: the figure when every PDE's table fits this machine's memory, else the
    tables that fit (the Hessian claims read those of their PDEs)."""
    beyond = fig1b_beyond_memory(scale)
    if not beyond:
        return [PATHS.figure(scale, "fig1b_hessian_norm.pdf")]
    return [PATHS.result(scale, "fig1b", f"{pde}.csv") for pde in scale_cfg(scale)["fig1b"]["pdes"] if pde not in beyond]


def fig1b_memory_note(scale):
    """What ``paper_on_cpu`` says of the Fig. 1b tables it leaves out."""
    beyond = fig1b_beyond_memory(scale)
    if not beyond:
        return ""
    return (f"; Fig. 1b left out: the table of {', '.join(f'{p} needs about {mb / 1000:.0f} GB' for p, mb in beyond.items())}"
            f" (benchmarks/fig1b_memory.py's record, {host_memory.FIG1B_RECORD.parent.name}), more than this run's "
            f"{memory_mb() / 1000:.0f} GB, so the figure is not made: on a machine with the memory or a GPU, "
            f"snakemake --profile profiles/gpu fig1b --config scale={scale}")


def kleingordon_block(scale, leave_out):
    """The scale's kleingordon block without the keys ``leave_out``: a Klein–Gordon job's params, so that only what it
    uses re-runs it."""
    return {k: v for k, v in scale_cfg(scale)["kleingordon"].items() if k not in leave_out}


def refuse_beyond_memory():
    """A planned Fig. 1b job that needs more memory than this run has would be started anyway (Snakemake caps a job's
    mem_mb at the run's) and killed by the kernel hours later: say which, and what to do. Called from ``onstart``."""
    available = memory_mb()
    if available is None:
        return
    needs = {j.output[0]: fig1b_mem_mb(j.wildcards.scale, j.wildcards.pde) for j in workflow.dag.needrun_jobs()
             if j.rule.name == "fig1b_norms"}
    beyond = {out: mb for out, mb in needs.items() if mb > available}
    if beyond:
        needing = "; ".join(f"{out} needs about {mb / 1000:.0f} GB" for out, mb in beyond.items())
        sys.exit(f"pinnlab: {needing} of host memory, more than this run's {available / 1000:.0f} GB "
                 "(pinnlab.host_memory, measured by benchmarks/fig1b_memory.py). Run it on a machine with the memory "
                 "or a GPU (snakemake --profile profiles/gpu ...), or give more with --resources mem_mb=<MB> at your "
                 "own risk.")


def jobs_needing_a_gpu():
    """The planned jobs of ``GPU_RULES`` at a scale marked ``needs_gpu``: what a machine without a GPU must not start
    by accident. A scale-free target (a reference) or another scale's path plans none, whatever the config's default
    scale."""
    return [job for job in workflow.dag.needrun_jobs()
            if job.rule.name in GPU_RULES and scale_cfg(job.wildcards.get("scale", SCALE)).get("needs_gpu")]


def requested_targets():
    """The targets of this invocation as the user typed them (the default target when none)."""
    dag = workflow.dag
    return [rule.name for rule in dag.targetrules] + [str(f) for f in dag.targetfiles] or ["all"]


def refuse_gpu_scale_without_gpu():
    """The paper scale's Table 2 and Fig. 1a are years of CPU time: on a machine without a GPU, refuse to start the
    jobs that need one, and say what a CPU can run instead (``paper_on_cpu``).

    Called from ``onstart`` (so dry runs are not affected); cluster submission is not affected either
    (the login node has no GPU).
    """
    if not workflow.local_exec or config["allow_cpu_paper"]:
        return
    refused = jobs_needing_a_gpu()
    if not refused or _local_gpu_available():
        return
    scales = sorted({job.wildcards.get("scale", SCALE) for job in refused})
    targets = requested_targets()
    # at the quick scale: the same rules (a path names its scale's widths, so it has no quick twin)
    quick = [t for t in targets if t in {rule.name for rule in workflow.rules}] or ["all"]
    sys.exit(
        f"pinnlab: {len(refused)} planned job(s) of the {', '.join(scales)} scale are meant for a GPU "
        f"(rules {', '.join(sorted({j.rule.name for j in refused}))}) and this machine has none.\n"
        + (paper_cpu_estimate() if "paper" in scales else "")
        + f"  What a CPU decides at this scale:  snakemake --cores 8 paper_on_cpu --config scale={scales[0]}\n"
        f"  On a GPU:                          snakemake --profile profiles/gpu all --config scale={scales[0]}\n"
        f"  On a SLURM cluster:                snakemake --profile profiles/slurm all --config scale={scales[0]}\n"
        f"  Run the quick scale instead:       {commands.target(*quick, scale='quick')}\n"
        f"  or force it:                       {commands.target(*targets, scale=scales[0])} allow_cpu_paper=true"
    )


def paper_cpu_estimate():
    """The message's estimate of the paper scale's CPU time (cost model: pinnlab.cpu_estimate)."""
    from pinnlab.cpu_estimate import paper_table2_cpu_hours

    jobs, hours = paper_table2_cpu_hours(config)
    total = float(f"{sum(hours.values()):.2g}")  # an estimate: two significant digits
    nncg = sum(h for method, h in hours.items() if method in catalog.CONTINUES) / sum(hours.values())
    return (f"  Estimate, not a measurement: Table 2's {jobs} training jobs alone take about {total:,.0f} h "
            f"({total / 8766:.1f} years) of the\n  2-core CPU its step times were measured on, one job at a time, "
            f"{nncg:.0%} of it in the NNCG phases of GDND and\n  PCPINN+GDND; the other jobs come on top "
            "(cost model: src/pinnlab/cpu_estimate.py).\n")


SEEDS = scale_cfg(SCALE)["seeds"]  # the seeds of the scale this invocation runs
# `loop`: one job trains the seeds of a Table-2 (PDE, method), a Fig. 1a (configuration, PDE, width) or a
# Klein–Gordon model one after another; `vmap` (Table 2 only): as one vmapped program; `none`: a job per run
SEEDS_TOGETHER = scale_cfg(SCALE).get("seeds_together", "none")


def parent_run_files(parent, prefix="continues"):
    """The files of the run a job starts from, each an input (the warm start reads them all): ``<prefix>`` its
    summary, ``<prefix>_metrics``, ``<prefix>_params``. ``parent``: a run key, or a list of keys (lists of paths)."""
    def files(name):
        return run_files(parent, name) if isinstance(parent, list) else PATHS.run(parent, name)

    return {prefix if name == "summary" else f"{prefix}_{name}": files(name) for name in layout.RUN_FILES}


def continued_run(wildcards):
    """GDND continues the Adam+L-BFGS run of the same PDE, width and seed: that run's files are inputs."""
    parent = layout.continued_key(layout.RunKey(**dict(wildcards.items()), experiment="table2"))
    return parent_run_files(parent) if parent else {}


def continued_runs_of_every_seed(wildcards):
    """The seeds-together job of GDND continues every seed's Adam+L-BFGS run."""
    keys = [layout.RunKey(**(dict(wildcards.items()) | {"seed": s}), experiment="table2") for s in SEEDS]
    parents = [layout.continued_key(key) for key in keys]
    return parent_run_files(parents) if parents[0] else {}


def density_run(wildcards):
    """The Table-2 run (and the run it continues, for GDND) whose final parameters the density is taken at."""
    key = layout.hessian_density_run(config, wildcards.scale, wildcards.pde, wildcards.method)
    parent = layout.continued_key(key)
    return {"summary": PATHS.run(key), "params": PATHS.run(key, "params"),
            **(parent_run_files(parent) if parent else {})}


def density_csvs(scale, suffix=""):
    block = scale_cfg(scale)["hessian_density"]
    return [PATHS.result(scale, "hessian_density", pde, f"{method}{suffix}.csv")
            for pde in block["pdes"] for method in block["methods"]]


def first_seed_runs(scale):
    """Each model's run with the scale's first seed: the runs the gradient and field figures show."""
    first = scale_cfg(scale)["kleingordon"]["seeds"][0]
    return [key for key in layout.kleingordon_runs(config, scale) if key.seed == first]


def fig1a_pdes(scale):
    return sorted({pde for c in layout.fig1a_configurations(config, scale) for pde in c["pdes"]})


def scale_outputs(scale):
    """The tables and figures of ``scale``: every output of the rules whose only wildcard is the scale, and the
    per-PDE tables the figures gather."""
    from snakemake.io import apply_wildcards, get_wildcard_names

    files = [apply_wildcards(str(f), {"scale": scale}) for r in workflow.rules for f in r.output
             if get_wildcard_names(str(f)) == {"scale"}]
    fig1b = [PATHS.result(scale, "fig1b", f"{pde}.csv") for pde in scale_cfg(scale)["fig1b"]["pdes"]]
    return sorted(set(files + fig1b + density_csvs(scale) + density_csvs(scale, "_ritz")))


def claim_artifacts(wildcards):
    """Every artifact the claims read (pinnlab.claims.artifacts.ARTIFACTS), named, at the job's scale. Where the scale
    needs a GPU and this machine has none (the refusal's condition), an artifact that a CPU cannot make and the DAG
    has not made is taken from its record (records/<scale>/...) if one keeps it, and left out otherwise: the claims
    that need it are then "not yet evaluated", with the command that makes it on a GPU."""
    from pinnlab.claims.artifacts import ARTIFACTS, artifact_paths, record_path

    fig1b_pdes = scale_cfg(wildcards.scale)["fig1b"]["pdes"]
    paths = {name: path for name, path in artifact_paths(PATHS, wildcards.scale).items()
             if ARTIFACTS[name].fig1b_pde in (None, *fig1b_pdes)}  # a PDE this scale's Fig. 1b leaves out: none
    if not gpu_scale_on_cpu(wildcards.scale):
        return paths
    kept = {}
    for name, path in paths.items():
        record = record_path(name, wildcards.scale)
        if ARTIFACTS[name].cpu or os.path.exists(path):
            kept[name] = path
        elif record.exists():
            kept[name] = str(record)
    return kept
