"""Load and validate ``config/config.yaml``; resolve one training run from it.

The schema (``config.schema.yaml`` in this package) is the single description of every key; the
Snakefile and the CLI both validate through ``validate_config`` so that a mistake is reported with
the key path and the reason before any job starts.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.pdes import PDE_CLASSES, make_pde
from pinnlab.sampling import PointSpec

SCALES = ("smoke", "quick", "paper")


def schema() -> dict:
    return yaml.safe_load(resources.files("pinnlab").joinpath("config.schema.yaml").read_text())


def _fill_defaults(instance, schema_node, root):
    """Fill the ``default`` of absent keys (top level and nested objects), in place."""
    if "$ref" in schema_node:
        schema_node = root["$defs"][schema_node["$ref"].split("/")[-1]]
    if not isinstance(instance, dict):
        return
    for key, sub in schema_node.get("properties", {}).items():
        if key not in instance and "default" in sub:
            instance[key] = copy.deepcopy(sub["default"])
        if key in instance:
            _fill_defaults(instance[key], sub, root)
    extra = schema_node.get("additionalProperties")
    if isinstance(extra, dict):
        for key, value in instance.items():
            if key not in schema_node.get("properties", {}):
                _fill_defaults(value, extra, root)


def _booleans_from_command_line(cfg: dict, root: dict) -> None:
    """``snakemake --config allow_cpu_paper=true`` passes the string 'true': read it as the boolean it names."""
    for key, sub in root.get("properties", {}).items():
        if sub.get("type") == "boolean" and isinstance(cfg.get(key), str) and cfg[key].lower() in ("true", "false"):
            cfg[key] = cfg[key].lower() == "true"


def validate_config(cfg: dict) -> dict:
    """Validate ``cfg`` (in place, filling defaults); raise ``PinnlabError`` naming the key and the reason."""
    if not isinstance(cfg, dict):
        raise PinnlabError("the config must be a mapping of keys to values (see config/config.yaml)")
    root = schema()
    _booleans_from_command_line(cfg, root)
    errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(cfg), key=lambda e: list(e.path))
    if errors:
        lines = [f"  config key {'.'.join(map(str, e.path)) or '(top level)'}: {e.message}" for e in errors[:10]]
        raise PinnlabError("invalid configuration:\n" + "\n".join(lines))
    _fill_defaults(cfg, root, root)
    for scale in SCALES:
        for pde, protocol in cfg["scales"][scale]["protocols"].items():
            where = f"scales.{scale}.protocols.{pde}"
            if protocol["checkpoint_every"] % protocol["log_every"]:
                raise PinnlabError(f"invalid configuration:\n  config key {where}.checkpoint_every: "
                                   f"{protocol['checkpoint_every']} is not a multiple of log_every "
                                   f"({protocol['log_every']})")
            if protocol["points"]["kind"] == "grid" and "grid" not in protocol["points"]:
                raise PinnlabError(f"invalid configuration:\n  config key {where}.points.grid: "
                                   "required when points.kind is grid")
        missing = set(cfg["scales"][scale]["table2"]["pdes"]) - set(cfg["scales"][scale]["protocols"])
        if missing:
            raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.protocols: "
                               f"no protocol for {sorted(missing)} listed in scales.{scale}.table2.pdes")
        if {"pcpinn", "pcpinn_gdnd"} & set(cfg["scales"][scale]["table2"]["methods"]):
            for pde in cfg["scales"][scale]["table2"]["pdes"]:
                if "grid" not in cfg["scales"][scale]["protocols"][pde].get("pcpinn", {}):
                    raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.protocols.{pde}."
                                       "pcpinn.grid: required when Table 2 runs PCPINN")
    return cfg


def load_config(path: Path | str, overrides: dict | None = None) -> dict:
    path = Path(path)
    if not path.exists():
        raise PinnlabError(f"config file {path} not found (the repository's is config/config.yaml)")
    try:
        cfg = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise PinnlabError(f"config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(cfg, dict):
        raise PinnlabError(f"config file {path} must be a mapping of keys to values (see config/config.yaml)")
    return validate_config(cfg | (overrides or {}))


def scale_config(cfg: dict, scale: str) -> dict:
    if scale not in SCALES:
        raise unknown_name("scale", scale, SCALES)
    return cfg["scales"][scale]


def protocol(cfg: dict, scale: str, pde_name: str) -> dict:
    if pde_name not in PDE_CLASSES:
        raise unknown_name("PDE", pde_name, PDE_CLASSES)
    protocols = scale_config(cfg, scale)["protocols"]
    if pde_name not in protocols:
        raise PinnlabError(f"no protocol for PDE {pde_name!r} at scale {scale}; "
                           f"add scales.{scale}.protocols.{pde_name} to the config (have: {sorted(protocols)})")
    return protocols[pde_name]


def pde_from_config(cfg: dict, pde_name: str):
    return make_pde(pde_name, **cfg.get("pde_constants", {}).get(pde_name, {}))


def resolve_run(cfg: dict, scale: str, experiment: str, pde_name: str, method: str, seed: int,
                continues: Path | str | None = None):
    """The ``train.Run`` of one job of the DAG.

    ``continues``: the run directory of the run that this method continues (``methods.CONTINUES``,
    e.g. GDND continues Adam+L-BFGS).
    """
    from pinnlab.artifacts import load_warm_start
    from pinnlab.methods import CONTINUES, PCPINN_METHODS, build_phases, network_of
    from pinnlab.train import Run

    pde = pde_from_config(cfg, pde_name)
    proto = protocol(cfg, scale, pde_name)
    resolved = {"scale": scale, "experiment": experiment, "pde": pde_name, "pde_constants": vars(pde),
                "method": method, "seed": seed, "protocol": proto,
                "loss_convention": cfg["loss_convention"], "matmul_precision": cfg["matmul_precision"]}
    warm_start = None
    if method in CONTINUES:
        if continues is None:
            raise PinnlabError(f"method {method!r} continues a {CONTINUES[method]!r} run: give its run directory")
        warm_start = load_warm_start(continues)
        resolved["continues"] = str(continues)
    network = network_of(method, proto)
    objective = None
    if method in PCPINN_METHODS:
        from pinnlab.pcpinn.loss import PCPINNObjective

        objective = PCPINNObjective(pde, proto["pcpinn"])
    return Run(pde=pde, phases=build_phases(method, proto), network=network, warm_start=warm_start,
               objective=objective,
               points=PointSpec.from_config(proto["points"]), seed=seed, log_every=proto["log_every"],
               checkpoint_every=proto["checkpoint_every"], loss_convention=cfg["loss_convention"],
               label=f"{scale}/{pde_name}/{method}/w{network['width']}/s{seed}", resolved=resolved)


def resolve_fig1a_run(cfg: dict, scale: str, pde_name: str, width: int, seed: int):
    """A run of Fig. 1a: Adam on a ``fig1a.depth``-hidden-layer network of ``width``, with the NTK-drift probe.

    The points are those of the PDE's Table-2 protocol at this scale; network, budget and Adam schedule come
    from the scale's ``fig1a`` block.
    """
    from pinnlab.diagnostics.ntk import drift_probe
    from pinnlab.methods import build_phases
    from pinnlab.train import Run

    block = scale_config(cfg, scale)["fig1a"]
    pde = pde_from_config(cfg, pde_name)
    proto = dict(protocol(cfg, scale, pde_name), network={"depth": block["depth"], "width": width},
                 iterations=block["iterations"], adam=block["adam"], log_every=block["log_every"],
                 checkpoint_every=block["log_every"] * max(1, block["iterations"] // block["log_every"] // 5))
    kp = block["kernel_points"]
    resolved = {"scale": scale, "experiment": "fig1a", "pde": pde_name, "pde_constants": vars(pde),
                "method": "adam", "seed": seed, "protocol": proto, "kernel_points": kp,
                "loss_convention": cfg["loss_convention"], "matmul_precision": cfg["matmul_precision"]}
    return Run(pde=pde, phases=build_phases("adam", proto), network=proto["network"],
               points=PointSpec.from_config(proto["points"]), seed=seed, log_every=proto["log_every"],
               checkpoint_every=proto["checkpoint_every"], loss_convention=cfg["loss_convention"],
               label=f"{scale}/fig1a/{pde_name}/w{width}/s{seed}", resolved=resolved,
               probes=[drift_probe(kp["n_res"], kp["n_conditions"])])
