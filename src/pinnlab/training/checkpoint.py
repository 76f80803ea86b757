"""Pickle-free files for parameters and resumable training state.

Parameters are a flat ``.npz`` keyed by the parameter path (``layers/0/kernel``), checked against the
network's own tree on load (missing / extra keys, shapes), as google-research/vision_transformer
publishes its checkpoints. A training checkpoint is one ``.npz`` holding the parameters, the
optimizer-state leaves, the loss weights and a JSON string of metadata (step, phase, metrics so
far); it is written to a temporary file and renamed, so a run killed mid-write never leaves a
half-written checkpoint behind.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import jax
import numpy as np
from flax import nnx

from pinnlab.errors import PinnlabError
from pinnlab.nets import Params


def _flatten(params: Params) -> dict[str, np.ndarray]:
    leaves = jax.tree_util.tree_leaves_with_path(nnx.to_pure_dict(params))
    return {"/".join(str(getattr(k, "key", k)) for k in path): np.asarray(leaf) for path, leaf in leaves}


def _unflatten(flat: dict[str, np.ndarray], template: Params, source: str) -> Params:
    expected = _flatten(template)
    missing, extra = sorted(set(expected) - set(flat)), sorted(set(flat) - set(expected))
    if missing or extra:
        raise PinnlabError(f"{source}: parameters do not match the network (missing {missing}, extra {extra}); "
                           "the file was made for another architecture: delete it and re-run its rule")
    for name, value in expected.items():
        if flat[name].shape != value.shape:
            raise PinnlabError(f"{source}: parameter {name} has shape {flat[name].shape}, "
                               f"the network expects {value.shape}; delete the file and re-run its rule")
    pure = nnx.to_pure_dict(template)
    leaves_with_path = jax.tree_util.tree_leaves_with_path(pure)
    treedef = jax.tree_util.tree_structure(pure)
    values = [flat["/".join(str(getattr(k, "key", k)) for k in path)].astype(leaf.dtype)
              for path, leaf in leaves_with_path]
    state = jax.tree.map(lambda x: x, template)  # copy, keep the template intact
    nnx.replace_by_pure_dict(state, jax.tree_util.tree_unflatten(treedef, values))
    return state


def _atomic_savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise PinnlabError(f"{path} is corrupt or not an npz file ({exc}); delete it and re-run its rule") from exc


def save_params(path: Path, params: Params) -> None:
    _atomic_savez(Path(path), _flatten(params))


def load_params(path: Path, template: Params) -> Params:
    path = Path(path)
    if not path.exists():
        raise PinnlabError(f"missing parameter file {path}; it is made by the training rule of that run")
    return _unflatten(_load_npz(path), template, str(path))


def save_checkpoint(path: Path, params: Params, opt_state, weights: dict, meta: dict,
                    extra: dict | None = None) -> None:
    """``extra``: arrays of host-side state that a resumed run needs (e.g. a preconditioner's linearisation)."""
    arrays = {f"params/{k}": v for k, v in _flatten(params).items()}
    arrays |= {f"extra/{k}": np.asarray(v) for k, v in (extra or {}).items() if v is not None}
    arrays |= {f"opt/{i:05d}": np.asarray(leaf) for i, leaf in enumerate(jax.tree.leaves(opt_state))}
    arrays |= {f"weights/{k}": np.asarray(v) for k, v in weights.items()}
    arrays["meta"] = np.array(json.dumps(meta))
    _atomic_savez(Path(path), arrays)


def load_checkpoint(path: Path, template_params: Params, template_opt_state):
    """(params, opt_state, weights, meta, extra) from ``path``; the templates give the tree structures."""
    arrays = _load_npz(Path(path))
    if "meta" not in arrays:
        raise PinnlabError(f"{path} is not a pinnlab checkpoint; delete it to start the run afresh")
    params = _unflatten({k[7:]: v for k, v in arrays.items() if k.startswith("params/")},
                        template_params, str(path))
    opt_leaves = [arrays[k] for k in sorted(k for k in arrays if k.startswith("opt/"))]
    template_leaves, treedef = jax.tree.flatten(template_opt_state)
    if len(opt_leaves) != len(template_leaves) or any(
            a.shape != np.shape(b) for a, b in zip(opt_leaves, template_leaves)):
        raise PinnlabError(f"{path}: optimizer state does not match this run; delete it to start afresh")
    opt_state = jax.tree.unflatten(treedef, [np.asarray(a, dtype=np.asarray(b).dtype)
                                             for a, b in zip(opt_leaves, template_leaves)])
    weights = {k[8:]: v for k, v in arrays.items() if k.startswith("weights/")}
    extra = {k[6:]: v for k, v in arrays.items() if k.startswith("extra/")}
    return params, opt_state, weights, json.loads(str(arrays["meta"])), extra
