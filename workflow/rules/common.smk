# Configuration, validation, paths and the helpers every rule uses (no rules here).
#
# Each rule calls one job function of a pinnlab module, through workflow/scripts/job.py. The module is named by
# `params: job=<module>`, the function is named after the rule, and `input: code=code(<module>)` lists the
# module's import closure (pinnlab.import_graph), so that editing any module re-runs exactly the rules whose jobs
# use it.
import os
import sys

from snakemake.exceptions import WorkflowError

try:
    from pinnlab import catalog
    from pinnlab.config import scale_config, validate_config
    from pinnlab.errors import PinnlabError
    from pinnlab.import_graph import code_inputs
    from pinnlab import layout
except ImportError:
    sys.exit("pinnlab is not installed in this Python: run `pip install -e .` in the repository first")

try:
    validate_config(config)
except PinnlabError as exc:
    sys.exit(f"pinnlab: error: {exc}")

SCALE = config["scale"]
PATHS = layout.Layout.of(config)
JOB_SCRIPT = "../scripts/job.py"  # relative to the rule files


def alternatives(names):
    return "|".join(names)



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


GPU_RULES = {"train_table2", "train_table2_seeds", "train_fig1a"}
"""The training rules whose paper-scale jobs take a CPU years (Table 2: the estimate below; Fig. 1a: widths to 10⁴
with the NTK's Jacobian every 100 steps); the Hessian densities and the NNCG comparison follow Table 2's runs. Every
other rule runs on a CPU in hours at the paper scale (the records' measured wall times, records/paper/): what the
target ``paper_on_cpu`` makes."""


def refuse_gpu_scale_without_gpu():
    """The paper scale's Table 2 and Fig. 1a are years of CPU time: on a machine without a GPU, refuse to start jobs
    that need one, and say what a CPU can run instead (``paper_on_cpu``).

    Called from ``onstart`` (so dry runs are not affected); cluster submission is not affected either
    (the login node has no GPU).
    """
    if not gpu_scale_on_cpu(SCALE):
        return
    gpu_jobs = sorted({job.rule.name for job in workflow.dag.needrun_jobs()} & GPU_RULES)
    if gpu_jobs:
        sys.exit(
            f"pinnlab: the {SCALE} scale is meant for a GPU and this machine has none; these rules need one: "
            f"{', '.join(gpu_jobs)}.\n"
            + (paper_cpu_estimate() if SCALE == "paper" else "")
            + f"  What a CPU decides at this scale:  snakemake --cores 8 paper_on_cpu --config scale={SCALE}\n"
            f"  On a GPU:                          snakemake --profile profiles/gpu all --config scale={SCALE}\n"
            f"  On a SLURM cluster:                snakemake --profile profiles/slurm all --config scale={SCALE}\n"
            "  Run the quick scale instead:       snakemake --cores 2 all --config scale=quick\n"
            f"  or force it:                       snakemake --cores 8 all --config scale={SCALE} allow_cpu_paper=true"
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


def continued_run(wildcards):
    """GDND continues the Adam+L-BFGS run of the same PDE, width and seed: that run's summary is an input."""
    parent = layout.continued_key(layout.RunKey(**dict(wildcards.items()), experiment="table2"))
    return {"continues": PATHS.run(parent)} if parent else {}


def continued_runs_of_every_seed(wildcards):
    """The seeds-together job of GDND continues every seed's Adam+L-BFGS run."""
    keys = [layout.RunKey(**(dict(wildcards.items()) | {"seed": s}), experiment="table2") for s in SEEDS]
    parents = [layout.continued_key(key) for key in keys]
    return {"continues": run_files(parents, "summary")} if parents[0] else {}


def density_run(wildcards):
    """The Table-2 run (and the run it continues, for GDND) whose final parameters the density is taken at."""
    key = layout.hessian_density_run(config, wildcards.scale, wildcards.pde, wildcards.method)
    parent = layout.continued_key(key)
    return {"summary": PATHS.run(key), "params": PATHS.run(key, "params"),
            **({"continues": PATHS.run(parent)} if parent else {})}


def density_csvs(scale, suffix=""):
    block = scale_cfg(scale)["hessian_density"]
    return [PATHS.result(scale, "hessian_density", pde, f"{method}{suffix}.csv")
            for pde in block["pdes"] for method in block["methods"]]


def first_seed_runs(scale):
    """Each model's run with the scale's first seed: the runs the gradient and field figures show."""
    first = scale_cfg(scale)["kleingordon"]["seeds"][0]
    return [key for key in layout.kleingordon_runs(config, scale) if key.seed == first]


def claim_artifacts(wildcards):
    """Every artifact the claims read (pinnlab.claims.artifacts.ARTIFACTS), named, at the job's scale. Where the scale
    needs a GPU and this machine has none (the refusal's condition), an artifact that a CPU cannot make and the DAG
    has not made is taken from its record (records/<scale>/...) if one keeps it, and left out otherwise: the claims
    that need it are then "not yet evaluated", with the command that makes it on a GPU."""
    from pinnlab.claims.artifacts import ARTIFACTS, artifact_paths, record_path

    paths = artifact_paths(PATHS, wildcards.scale)
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
