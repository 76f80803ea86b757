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
    """The paper scale is days of CPU time: refuse to start it by accident on a machine without a GPU.

    Called from ``onstart`` (so dry runs are not affected); cluster submission is not affected either
    (the login node has no GPU).
    """
    if (scale_cfg(SCALE).get("needs_gpu") and workflow.local_exec
            and not config["allow_cpu_paper"] and not _local_gpu_available()):
        sys.exit(
            f"pinnlab: the {SCALE} scale is meant for a GPU (tens of thousands of iterations per run, "
            "10 seeds: days on a CPU) and this machine has none.\n"
            "  Run the quick scale instead:  snakemake --cores 2 all --config scale=quick\n"
            "  or force it:                  snakemake --cores 8 all --config allow_cpu_paper=true"
        )
