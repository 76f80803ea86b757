# Configuration, validation and target lists (no rules here).
import sys
from pathlib import Path

try:
    from pinnlab.config import validate_config, scale_config
    from pinnlab.errors import PinnlabError
except ImportError:
    sys.exit("pinnlab is not installed in this Python: run `pip install -e .` in the repository first")

try:
    validate_config(config)
except PinnlabError as exc:
    sys.exit(f"pinnlab: error: {exc}")

SCALE = config["scale"]
RESULTS = config["results_dir"]
FIGURES = config["figures_dir"]
REFERENCES = config["reference_dir"]

wildcard_constraints:
    scale="smoke|quick|paper",
    width=r"\d+",
    seed=r"\d+",

# `resources: gpu=1` marks the rules whose JAX work belongs on a GPU: profiles/gpu runs them one at a time
# (a global limit gpu=1), profiles/slurm asks SLURM for a GPU for each; without a limit (profiles/default)
# Snakemake does not constrain the resource. The other rules run JAX on the CPU (workflow/scripts/_job.py).

# The numerics that a trained run depends on: a change here re-runs training (Snakemake tracks only
# the script of a rule, not the package it imports).
PKG = Path("src/pinnlab")
TRAIN_SOURCES = sorted(
    str(p)
    for p in [*PKG.glob("pdes/*.py"), *(PKG / f for f in (
        "nets.py", "losses.py", "sampling.py", "train.py", "methods.py", "checkpoint.py", "evaluate.py",
        "weighting.py", "curvature.py")),
      PKG / "diagnostics" / "ntk.py",
      *(PKG / "pcpinn" / f for f in ("discretisation.py", "preconditioner.py", "loss.py")),
      *PKG.glob("optim/*.py")]
)


def continued_run(wildcards):
    """GDND continues the Adam+L-BFGS run of the same PDE, width and seed: that run is an input."""
    from pinnlab.methods import CONTINUES

    if wildcards.method not in CONTINUES:
        return {}
    parent = (f"{RESULTS}/{wildcards.scale}/table2/{wildcards.pde}/{CONTINUES[wildcards.method]}/"
              f"w{wildcards.width}/s{wildcards.seed}")
    return {"continues": f"{parent}/summary.json"}


VMAP_METHODS = ("pinn_ntk", "adam", "adam_lbfgs", "gdnd")  # not PCPINN: its loss solves on the host


def continued_runs_of_every_seed(wildcards):
    """The seeds-together job of GDND continues every seed's Adam+L-BFGS run."""
    from pinnlab.methods import CONTINUES

    if wildcards.method not in CONTINUES:
        return {}
    parent = f"{RESULTS}/{wildcards.scale}/table2/{wildcards.pde}/{CONTINUES[wildcards.method]}/w{wildcards.width}"
    return {"continues": [f"{parent}/s{s}/summary.json" for s in SEEDS]}


def fig1a_summaries(scale):
    block = scale_cfg(scale)["fig1a"]
    return [f"{RESULTS}/{scale}/fig1a/{pde}/adam/w{width}/s{seed}/summary.json"
            for pde in block["pdes"] for width in block["widths"] for seed in block["seeds"]]


def hessian_density_run(scale, pde, method):
    """Summary of the Table-2 run whose final parameters the density is taken at."""
    from pinnlab.methods import network_of

    sc = scale_cfg(scale)
    width = network_of(method, sc["protocols"][pde])["width"]
    return f"{RESULTS}/{scale}/table2/{pde}/{method}/w{width}/s{sc['hessian_density']['seed']}/summary.json"


def hessian_density_csvs(scale):
    block = scale_cfg(scale)["hessian_density"]
    return [f"{RESULTS}/{scale}/hessian_density/{pde}/{method}.csv"
            for pde in block["pdes"] for method in block["methods"]]


def kleingordon_summaries(scale):
    block = scale_cfg(scale)["kleingordon"]
    width = block["network"]["width"]
    return [f"{RESULTS}/{scale}/kleingordon/klein_gordon/{model}/w{width}/s{seed}/summary.json"
            for model in block["models"] for seed in block["seeds"]]


def nncg_comparison_parent(scale):
    """Summary of seed 0's Adam+L-BFGS run of the PDE the NNCG comparison uses."""
    sc = scale_cfg(scale)
    pde = sc["nncg_comparison"]["pde"]
    width = sc["protocols"][pde]["network"]["width"]
    return f"{RESULTS}/{scale}/table2/{pde}/adam_lbfgs/w{width}/s0/summary.json"


def scale_cfg(scale):
    return scale_config(config, scale)


def table2_summaries(scale):
    """Summaries of every Table-2 run configured at ``scale``."""
    from pinnlab.methods import network_of

    sc = scale_cfg(scale)
    return [
        f"{RESULTS}/{scale}/table2/{pde}/{method}/w{network_of(method, sc['protocols'][pde])['width']}/s{seed}/summary.json"
        for pde in sc["table2"]["pdes"]
        for method in sc["table2"]["methods"]
        for seed in sc["seeds"]
    ]


def reference_sources(wildcards):
    solver = {"burgers": ["src/pinnlab/reference/burgers.py"],
              "heat2d_lt": ["src/pinnlab/reference/heat2d_lt.py"]}.get(wildcards.pde, [])
    return [f"src/pinnlab/pdes/{wildcards.pde}.py", "src/pinnlab/reference/build.py", *solver]


def _local_gpu_available():
    import jax

    return any(d.platform == "gpu" for d in jax.devices())


def refuse_gpu_scale_without_gpu():
    """The paper scale is years of CPU time: refuse to start it by accident on a machine without a GPU.

    Called from ``onstart`` (so dry runs are not affected); cluster submission is not affected either
    (the login node has no GPU).
    """
    if (scale_cfg(SCALE).get("needs_gpu") and workflow.local_exec
            and not config["allow_cpu_paper"] and not _local_gpu_available()):
        sys.exit(
            f"pinnlab: the {SCALE} scale is meant for a GPU and this machine has none.\n"
            + (paper_cpu_estimate() if SCALE == "paper" else "")
            + "  Run the quick scale instead:  snakemake --cores 2 all --config scale=quick\n"
            "  or force it:                  snakemake --cores 8 all --config allow_cpu_paper=true"
        )


def paper_cpu_estimate():
    """The message's estimate of the paper scale's CPU time (cost model: pinnlab.cpu_estimate)."""
    from pinnlab.cpu_estimate import paper_table2_cpu_hours
    from pinnlab.methods import CONTINUES

    jobs, hours = paper_table2_cpu_hours(config)
    total = float(f"{sum(hours.values()):.2g}")  # an estimate: two significant digits
    nncg = sum(h for method, h in hours.items() if method in CONTINUES) / sum(hours.values())
    return (f"  Estimate, not a measurement: Table 2's {jobs} training jobs alone take about {total:,.0f} h "
            f"({total / 8766:.1f} years) of the\n  2-core CPU of docs/benchmarks.md, one job at a time, "
            f"{nncg:.0%} of it in the NNCG phases of GDND and\n  PCPINN+GDND; the other jobs come on top "
            "(cost model: src/pinnlab/cpu_estimate.py).\n")


def claim_artifacts(wildcards):
    """Every artifact the claims read (the registry's list), at the job's scale."""
    from pinnlab.claims.artifacts import ARTIFACTS

    roots = {"figures": FIGURES, "results": RESULTS}
    return [f"{roots[root]}/{wildcards.scale}/{rel}" for root, rel, _ in ARTIFACTS.values()]


SEEDS = scale_cfg(SCALE)["seeds"]  # the seeds of the scale this invocation runs
