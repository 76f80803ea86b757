"""Evaluation: the L2 relative error ‖u − u_ref‖₂ / ‖u_ref‖₂ on a PDE's evaluation grid.

The grid is ``PDE.eval_axes()`` (documented per PDE in the README); the reference values come from
``data/reference/<pde>.npz`` (``pinnlab.layout``), written by ``pinnlab.reference.build`` (exact formula or our
solvers) with a JSON sidecar that records its SHA-256: ``load_reference`` uses no file that does not match it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jax.numpy as jnp
import numpy as np

from pinnlab.commands import remake
from pinnlab.errors import PinnlabError
from pinnlab.integrity import sha256
from pinnlab.pdes import tensor_grid


def l2_relative_error(prediction, reference):
    """‖prediction − reference‖₂ / ‖reference‖₂ over all points (Rathore et al. §2.2, PINNacle)."""
    return jnp.linalg.norm(prediction - reference) / jnp.linalg.norm(reference)


@dataclass(frozen=True)
class Reference:
    axes: tuple[np.ndarray, ...]
    grid_values: np.ndarray  # shape (len(axis) for axis in axes)
    info: dict

    @property
    def points(self) -> np.ndarray:
        return tensor_grid(self.axes)

    @property
    def values(self) -> np.ndarray:
        return self.grid_values.ravel()


def reference_sidecar(path: Path | str) -> dict:
    """The JSON sidecar of the reference ``path`` (how it was made, its SHA-256), once the file matches that hash;
    a missing, corrupt or changed file is a ``PinnlabError`` that names the command re-making it."""
    path = Path(path)
    again = f"`{remake(path)}` (rule reference) or `python -m pinnlab reference --pde {path.stem} --out {path}`"
    if not path.exists():
        raise PinnlabError(f"missing reference solution {path}; make it with {again}")
    sidecar = path.with_suffix(".json")
    try:
        info = json.loads(sidecar.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PinnlabError(f"the sidecar {sidecar} of reference {path} is missing or corrupt ({exc}); re-make both "
                           f"with {again}") from exc
    if not isinstance(info, dict) or sha256(path) != info.get("sha256"):
        raise PinnlabError(f"reference {path} does not match the SHA-256 its sidecar {sidecar} recorded (changed or "
                           f"cut short after it was made); re-make it with {again}")
    return info


def load_reference(path: Path | str) -> Reference:
    path = Path(path)
    info = reference_sidecar(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            n_axes = int(data["n_axes"])
            axes = tuple(np.asarray(data[f"axis_{i}"]) for i in range(n_axes))
            values = np.asarray(data["u"])
    except Exception as exc:  # noqa: BLE001 - every failure here means a corrupt file
        raise PinnlabError(f"reference {path} is corrupt ({exc}); re-make it with `{remake(path)}`") from exc
    if values.shape != tuple(len(a) for a in axes) or not np.all(np.isfinite(values)):
        raise PinnlabError(f"reference {path} is inconsistent (shape or non-finite values); re-make it with "
                           f"`{remake(path)}`")
    return Reference(axes, values, info)


def trivial_fields(reference: Reference) -> dict[str, np.ndarray]:
    """Fields that know nothing of the PDE's dynamics, on the evaluation grid (time the last axis, its first level
    the initial time): ``zero`` u ≡ 0; ``time_mean`` the reference's mean over t at each x; ``initial`` the
    reference's initial condition copied to every t, u(x, t) = u(x, 0). The last two read the reference itself,
    so they are what a method that learned none of the dynamics could at best reach (issue #13, point 7)."""
    u = reference.grid_values
    return {"zero": np.zeros_like(u),
            "time_mean": np.broadcast_to(u.mean(axis=-1, keepdims=True), u.shape),
            "initial": np.broadcast_to(u[..., :1], u.shape)}


def trivial_baselines(reference: Reference) -> dict[str, float]:
    """The L2RE of each of ``trivial_fields`` (the same ``l2_relative_error`` as the runs')."""
    return {name: float(l2_relative_error(field, reference.grid_values))
            for name, field in trivial_fields(reference).items()}
