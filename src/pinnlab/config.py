"""Load and validate ``config/config.yaml`` (JAX-free: the Snakefile validates with it before any job starts).

The schema (``config.schema.yaml`` in this package) is the single description of every key and of its default;
its lists of names (scales, PDEs, methods, models) come from ``pinnlab.catalog``. The Snakefile and the CLI both
validate through ``validate_config``, so a mistake is reported with the key path and the reason.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from pinnlab import catalog
from pinnlab.errors import PinnlabError, unknown_name


@cache
def schema() -> dict:
    """The JSON schema of the config, its enumerations filled from ``pinnlab.catalog`` (read once per process:
    modules take defaults from it at import; callers never change it)."""
    root = yaml.safe_load(resources.files("pinnlab").joinpath("config.schema.yaml").read_text())
    names = root["$defs"]
    names["scale_name"]["enum"] = list(catalog.SCALES)
    names["pde_name"]["enum"] = list(catalog.PDES)
    names["method_name"]["enum"] = [*catalog.METHODS, *catalog.CONTROLS]
    names["kleingordon_model"]["enum"] = list(catalog.KLEINGORDON_MODELS)
    names["density_method"]["enum"] = list(catalog.HESSIAN_DENSITY_METHODS)
    names["network_init"]["enum"] = list(catalog.NETWORK_INITS)
    root["properties"]["pde_constants"]["properties"] = {
        pde: {"type": "object", "additionalProperties": False, "properties": {c: {"type": "number"} for c in names}}
        for pde, names in catalog.PDE_CONSTANTS.items()}
    root["properties"]["scales"]["required"] = list(catalog.SCALES)
    root["properties"]["scales"]["properties"] = {s: {"$ref": "#/$defs/scale"} for s in catalog.SCALES}
    return root


def schema_defaults(*path: str) -> dict:
    """The defaults the schema gives the keys of the object at ``path`` under ``$defs``
    (``schema_defaults("protocol", "nncg")``): code that needs a default takes it from here, never types it."""
    root = schema()
    node = root["$defs"][path[0]]
    for key in path[1:]:
        node = node["properties"][key]
        if "$ref" in node:
            node = root["$defs"][node["$ref"].split("/")[-1]]
    return {key: copy.deepcopy(sub["default"]) for key, sub in node.get("properties", {}).items() if "default" in sub}


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


def _scalar(text: str, kind):
    """``text`` as the integer, number or boolean the schema expects, or unchanged where it names none."""
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind in ("integer", "number") and re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    if kind == "number" and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text.strip()):
        return float(text)
    return text


def _typed_from_command_line(value, node: dict, root: dict):
    """``value`` with the strings that stand for numbers or booleans converted, where the schema ``node`` expects
    them: Snakemake reads a nested ``--config`` value as YAML of strings (``'scales={smoke: {seeds: [0, 1]}}'`` gives
    ``['0', '1']``), and a top-level one as a number or a string ('true')."""
    if "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    if isinstance(value, dict):
        extra = node.get("additionalProperties")
        for key, sub in value.items():
            sub_node = node.get("properties", {}).get(key, extra if isinstance(extra, dict) else None)
            if sub_node is not None:
                value[key] = _typed_from_command_line(sub, sub_node, root)
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_typed_from_command_line(v, node["items"], root) for v in value]
    elif isinstance(value, str):
        return _scalar(value, node.get("type"))
    return value


NNCG_CG_KEYS = ("forcing", "negative_curvature", "cg_tol", "cg_maxiter")
"""The keys of an nncg block that make CG faithful to the source or inexact."""


def _apply_nncg_setting(cfg: dict) -> None:
    """``nncg_setting: faithful``: every protocol's NNCG takes the source's CG setting (the schema's defaults)."""
    if cfg["nncg_setting"] != "faithful":
        return
    faithful = {k: v for k, v in schema_defaults("protocol", "nncg").items() if k in NNCG_CG_KEYS}
    for scale in catalog.SCALES:
        for protocol in cfg["scales"][scale]["protocols"].values():
            protocol["nncg"] |= faithful


def validate_config(cfg: dict) -> dict:
    """Validate ``cfg`` (in place, filling defaults); raise ``PinnlabError`` naming the key and the reason."""
    if not isinstance(cfg, dict):
        raise PinnlabError("the config must be a mapping of keys to values (see config/config.yaml)")
    root = schema()
    _typed_from_command_line(cfg, root, root)
    errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(cfg), key=lambda e: list(e.path))
    if errors:
        lines = [f"  config key {'.'.join(map(str, e.path)) or '(top level)'}: {e.message}" for e in errors[:10]]
        raise PinnlabError("invalid configuration:\n" + "\n".join(lines))
    _fill_defaults(cfg, root, root)
    _apply_nncg_setting(cfg)
    for scale in catalog.SCALES:
        for pde, protocol in cfg["scales"][scale]["protocols"].items():
            where = f"scales.{scale}.protocols.{pde}"
            if protocol["checkpoint_every"] % protocol["log_every"]:
                raise PinnlabError(f"invalid configuration:\n  config key {where}.checkpoint_every: "
                                   f"{protocol['checkpoint_every']} is not a multiple of log_every "
                                   f"({protocol['log_every']})")
            if protocol["points"]["kind"] == "grid" and "grid" not in protocol["points"]:
                raise PinnlabError(f"invalid configuration:\n  config key {where}.points.grid: "
                                   "required when points.kind is grid")
        for where, pdes in _pdes_needing_a_protocol(cfg["scales"][scale]).items():
            missing = set(pdes) - set(cfg["scales"][scale]["protocols"])
            if missing:
                raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.protocols: "
                                   f"no protocol for {sorted(missing)} listed in scales.{scale}.{where}")
        for pde in sorted(_pdes_trained_by_lbfgs(cfg["scales"][scale])):
            protocol = cfg["scales"][scale]["protocols"][pde]
            if protocol["lbfgs"]["adam_steps"] >= protocol["iterations"]:
                raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.protocols.{pde}.lbfgs."
                                   f"adam_steps: {protocol['lbfgs']['adam_steps']} leaves no L-BFGS step before "
                                   f"iterations ({protocol['iterations']}); the scale trains Adam+L-BFGS on {pde}")
        table2 = cfg["scales"][scale]["table2"]
        for method, pdes in table2["only"].items():
            if method not in table2["methods"] or set(pdes) - set(table2["pdes"]):
                raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.table2.only.{method}: "
                                   "name a method of table2.methods and PDEs of table2.pdes")
        for method in [m for m in table2["methods"] if m in catalog.FD_GRID_METHODS]:
            for pde in table2["only"].get(method, table2["pdes"]):
                if "grid" not in cfg["scales"][scale]["protocols"][pde].get("pcpinn", {}):
                    raise PinnlabError(f"invalid configuration:\n  config key scales.{scale}.protocols.{pde}."
                                       f"pcpinn.grid: required when Table 2 runs {method}")
    return cfg


def _pdes_needing_a_protocol(sc: dict) -> dict[str, list[str]]:
    """Config key -> the PDEs it names whose runs or points come from the scale's protocols."""
    return {"table2.pdes": sc["table2"]["pdes"], "fig1b.pdes": sc["fig1b"]["pdes"],
            "hessian_density.pdes": sc["hessian_density"]["pdes"],
            "nncg_comparison.pdes": sc["nncg_comparison"]["pdes"]}


def _pdes_trained_by_lbfgs(sc: dict) -> set[str]:
    """The PDEs on which the scale trains an Adam+L-BFGS run: Table 2's L-BFGS methods and the runs GDND continues,
    the Hessian densities' runs, and the run the NNCG comparison starts from."""
    def by_lbfgs(method):
        return method in catalog.LBFGS_METHODS or catalog.CONTINUES.get(method) in catalog.LBFGS_METHODS

    table2 = sc["table2"]
    pdes = {pde for method in table2["methods"] if by_lbfgs(method)
            for pde in table2["only"].get(method, table2["pdes"])}
    if any(by_lbfgs(method) for method in sc["hessian_density"]["methods"]):
        pdes |= set(sc["hessian_density"]["pdes"])
    return pdes | set(sc["nncg_comparison"]["pdes"])


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
    if scale not in catalog.SCALES:
        raise unknown_name("scale", scale, catalog.SCALES)
    return cfg["scales"][scale]


def protocol(cfg: dict, scale: str, pde_name: str) -> dict:
    """The Table-2 protocol of ``pde_name`` at ``scale`` (network, points, budget, method settings)."""
    if pde_name not in catalog.PDES:
        raise unknown_name("PDE", pde_name, catalog.PDES)
    protocols = scale_config(cfg, scale)["protocols"]
    if pde_name not in protocols:
        raise PinnlabError(f"no protocol for PDE {pde_name!r} at scale {scale}; "
                           f"add scales.{scale}.protocols.{pde_name} to the config (have: {sorted(protocols)})")
    return protocols[pde_name]


def network_of(method: str, protocol: dict) -> dict:
    """The network a method trains: the protocol's, unless the method's block overrides it
    (PINN-NTK at paper scale: 3 × 500, as the target paper's runs); a control takes the block of the method it
    controls (``catalog.SETUP_OF``)."""
    block = protocol.get(catalog.SETUP_OF.get(method, method)) or {}
    return block.get("network") or protocol["network"]
