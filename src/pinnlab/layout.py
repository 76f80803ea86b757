"""Every path of the DAG, built here and nowhere else (JAX-free: the rule files use it when Snakemake parses them).

::

    data/reference/<pde>.{npz,json}         reference solutions and their sidecars (one serves every scale)
    results/<scale>/<experiment>/<pde>/<method>/w<width>/s<seed>/{summary.json,metrics.csv,params.npz}
    results/<scale>/<study>/...             tables of the studies (Newton, NTK spectra, Fig. 1b norms, ...)
    figures/<scale>/<name>                  figures and tables a reader looks at
    logs/<scale>/...                        each job's log and benchmark

The rules call these functions with wildcard patterns (``"{scale}"``) to declare their outputs, and with values to
declare their inputs; the jobs never build a path: they read ``job.input`` and ``job.output``. The run
enumerations below say which runs an experiment has at a scale (its widths and seeds come from the config).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from pinnlab.catalog import CONTINUES
from pinnlab.config import network_of, scale_config
from pinnlab.errors import PinnlabError

RUN_FILES = {"summary": "summary.json", "metrics": "metrics.csv", "params": "params.npz"}
"""The artifacts of a finished run, by the names the rules give them."""
CHECKPOINT_FILE = "checkpoint.npz"
"""The resumable state of a run while it trains, in its run directory; removed once the artifacts are written."""


class RunKey(NamedTuple):
    scale: str
    experiment: str
    pde: str
    method: str
    width: int | str
    seed: int | str


@dataclass(frozen=True)
class Layout:
    results: str = "results"
    figures: str = "figures"
    references: str = "data/reference"
    logs: str = "logs"

    @classmethod
    def of(cls, cfg: dict) -> Layout:
        return cls(cfg["results_dir"], cfg["figures_dir"], cfg["reference_dir"])

    def reference(self, pde: str, ext: str = "npz") -> str:
        return f"{self.references}/{pde}.{ext}"

    def run_dir(self, key: RunKey) -> str:
        return (f"{self.results}/{key.scale}/{key.experiment}/{key.pde}/{key.method}/"
                f"w{key.width}/s{key.seed}")

    def run(self, key: RunKey, name: str = "summary") -> str:
        """One artifact of a run: ``summary``, ``metrics`` or ``params``."""
        return f"{self.run_dir(key)}/{RUN_FILES[name]}"

    def run_files(self, key: RunKey) -> dict[str, str]:
        return {name: self.run(key, name) for name in RUN_FILES}

    def result(self, scale: str, *parts: str) -> str:
        return "/".join((self.results, scale, *parts))

    def figure(self, scale: str, name: str) -> str:
        return f"{self.figures}/{scale}/{name}"

    def log(self, scale: str, *parts: str) -> str:
        return "/".join((self.logs, scale, *parts))


def run_pattern(experiment: str, pde: str = "{pde}", method: str = "{method}") -> RunKey:
    """The wildcard pattern of an experiment's run directories (the rules' outputs)."""
    return RunKey("{scale}", experiment, pde, method, "{width}", "{seed}")


def continued_key(key: RunKey) -> RunKey | None:
    """The run that a run of a continuing method (GDND) starts from: same PDE, width and seed."""
    return key._replace(method=CONTINUES[key.method]) if key.method in CONTINUES else None


def table2_runs(cfg: dict, scale: str) -> list[RunKey]:
    """Every Table-2 run configured at ``scale`` (the runs that continued methods start from come as their inputs);
    a method of ``table2.only`` runs on the PDEs named there only."""
    sc = scale_config(cfg, scale)
    only = sc["table2"].get("only", {})
    return [table2_run(cfg, scale, pde, method, seed)
            for pde in sc["table2"]["pdes"] for method in sc["table2"]["methods"] for seed in sc["seeds"]
            if pde in only.get(method, (pde,))]


def table2_run(cfg: dict, scale: str, pde: str, method: str, seed: int) -> RunKey:
    width = network_of(method, scale_config(cfg, scale)["protocols"][pde])["width"]
    return RunKey(scale, "table2", pde, method, width, seed)


FIG1A_VARIANT = r"d\d+-[a-z]+"
"""The wildcard constraint of a Fig. 1a configuration's name (``fig1a_variant``)."""


def fig1a_variant(network: dict) -> str:
    """The name of a Fig. 1a network configuration in paths and tables: ``d<depth>-<input_normalization>``."""
    return f"d{network['depth']}-{network['input_normalization']}"


def fig1a_configurations(cfg: dict, scale: str) -> list[dict]:
    """Fig. 1a's configurations at ``scale``, the headline (closest to the paper) first, then the sweep's: each a
    dict of ``variant``, ``network``, ``headline`` and its ``pdes``, ``widths`` and ``seeds``."""
    block = scale_config(cfg, scale)["fig1a"]
    entries = [{"network": block["network"], "headline": True}] + [dict(e, headline=False)
                                                                     for e in block.get("sweep", [])]
    configs = [{"variant": fig1a_variant(e["network"]), "network": e["network"], "headline": e["headline"],
                **{k: list(e.get(k, block[k])) for k in ("pdes", "widths", "seeds")}} for e in entries]
    names = [c["variant"] for c in configs]
    if len(set(names)) < len(names):
        raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.fig1a.sweep: two configurations "
                           f"have the same network ({sorted(n for n in set(names) if names.count(n) > 1)}); "
                           "each sweep entry must differ from the headline network and from the others")
    return configs


def fig1a_configuration(cfg: dict, scale: str, variant: str) -> dict:
    """The Fig. 1a configuration named ``variant`` at ``scale``."""
    configs = {c["variant"]: c for c in fig1a_configurations(cfg, scale)}
    if variant not in configs:
        raise PinnlabError(f"no Fig. 1a configuration {variant!r} at scale {scale}; configured: {sorted(configs)}")
    return configs[variant]


FIG1A_RUN_SETTINGS = ("iterations", "log_every", "adam", "batch", "kernel_points")
"""The keys of the ``fig1a`` block that every Fig. 1a run shares."""


def fig1a_settings(cfg: dict, scale: str, variant: str) -> dict:
    """What defines a run of configuration ``variant`` besides its PDE, width and seed (the training rule's params:
    a change re-runs exactly the runs it concerns)."""
    block = scale_config(cfg, scale)["fig1a"]
    return {k: block[k] for k in FIG1A_RUN_SETTINGS} | {"network": fig1a_configuration(cfg, scale, variant)["network"]}


def fig1a_run(scale: str, variant: str, pde: str, width: int | str, seed: int | str) -> RunKey:
    """A Fig. 1a run: ``results/<scale>/fig1a/<variant>/<pde>/adam/w<width>/s<seed>/``."""
    return RunKey(scale, f"fig1a/{variant}", pde, "adam", width, seed)


def fig1a_runs(cfg: dict, scale: str) -> list[RunKey]:
    """Every Fig. 1a run at ``scale``: each configuration's PDEs × widths × seeds."""
    return [fig1a_run(scale, c["variant"], pde, width, seed) for c in fig1a_configurations(cfg, scale)
            for pde in c["pdes"] for width in c["widths"] for seed in c["seeds"]]


def kleingordon_runs(cfg: dict, scale: str) -> list[RunKey]:
    block = scale_config(cfg, scale)["kleingordon"]
    return [RunKey(scale, "kleingordon", "klein_gordon", model, block["network"]["width"], seed)
            for model in block["models"] for seed in block["seeds"]]


def hessian_density_run(cfg: dict, scale: str, pde: str, method: str) -> RunKey:
    """The Table-2 run whose final parameters a Hessian density is taken at."""
    return table2_run(cfg, scale, pde, method, scale_config(cfg, scale)["hessian_density"]["seed"])


def nncg_comparison_runs(cfg: dict, scale: str) -> list[RunKey]:
    """Seed 0's Adam+L-BFGS run of each PDE the NNCG comparison continues, in the config's order."""
    return [table2_run(cfg, scale, pde, "adam_lbfgs", 0) for pde in scale_config(cfg, scale)["nncg_comparison"]["pdes"]]
