"""Collocation points: residual points in the domain, condition points on their faces.

Three kinds, chosen per PDE protocol in the config:
- ``grid`` (Rathore et al.): a tensor grid (e.g. 257 × 101); residual points are ``n_res`` grid nodes
  drawn without replacement from the interior (spatial end points and the initial time removed),
  every condition gets all grid nodes of its faces. Fixed for the whole run.
- ``qmc`` (PINNacle, which samples with Hammersley sequences): scrambled Halton points from scipy,
  ``n_res`` in the domain, ``n_initial`` per initial and ``n_boundary`` per boundary condition,
  split evenly over the condition's faces. Fixed for the whole run.
- ``uniform``: i.i.d. uniform points with the same counts; with ``resample: true`` a fresh batch is
  drawn at every step from ``fold_in(key, step)`` (Wang et al.'s mini-batches), so an interrupted
  run resumes with the same batches.
Every returned set is a dict ``term name -> (n, d) array``, the keys of ``PDE.term_names()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.config import schema_defaults
from pinnlab.errors import PinnlabError
from pinnlab.pdes import PDE, Face, tensor_grid

POINT_KINDS = ("grid", "qmc", "uniform")
RESAMPLE = schema_defaults("protocol", "points")["resample"]

KEY_PURPOSES = {"points": 1, "weighting": 2, "ntk_probe": 3, "gradients": 4}
"""Independent random streams of one run, all derived from its seed: fresh batches, a weighting scheme's points,
the NTK probe's points, the points of the end-of-training gradient histograms."""


def run_key(seed: int, purpose: str) -> jax.Array:
    """The key of the stream ``purpose`` of the run with ``seed`` (``KEY_PURPOSES``)."""
    return jax.random.fold_in(jax.random.key(seed), KEY_PURPOSES[purpose])


@dataclass(frozen=True)
class PointSpec:
    kind: str
    n_res: int
    n_initial: int = 0
    n_boundary: int = 0
    grid: tuple[int, ...] = ()
    resample: bool = RESAMPLE

    @classmethod
    def from_config(cls, cfg: dict) -> PointSpec:
        spec = cls(kind=cfg["kind"], n_res=int(cfg["n_res"]), n_initial=int(cfg.get("n_initial", 0)),
                   n_boundary=int(cfg.get("n_boundary", 0)), grid=tuple(cfg.get("grid", ())),
                   resample=bool(cfg.get("resample", RESAMPLE)))
        if spec.kind not in POINT_KINDS:
            raise PinnlabError(f"unknown point kind {spec.kind!r}; valid: {POINT_KINDS}")
        if spec.resample and spec.kind != "uniform":
            raise PinnlabError("points.resample: true needs points.kind: uniform")
        return spec

    def count(self, kind: str) -> int:
        return self.n_initial if kind == "initial" else self.n_boundary


def _split(n: int, parts: int) -> list[int]:
    return [n // parts + (i < n % parts) for i in range(parts)]


def _free_axes(pde: PDE, face: Face) -> list[int]:
    return [a for a in range(pde.dim) if a != face.axis]


def _on_face(pde: PDE, face: Face, free: np.ndarray) -> np.ndarray:
    """Embed points of the face's free coordinates (n, d−1) into the domain (n, d)."""
    points = np.empty((free.shape[0], pde.dim))
    points[:, _free_axes(pde, face)] = free
    points[:, face.axis] = pde.lower[face.axis] if face.side == "lo" else pde.upper[face.axis]
    return points


def _grid_axes(pde: PDE, sizes: tuple[int, ...]) -> list[np.ndarray]:
    if len(sizes) != pde.dim:
        raise PinnlabError(f"points.grid for {pde.name} needs {pde.dim} sizes "
                           f"({', '.join(pde.input_names)}), got {list(sizes)}")
    return [np.linspace(lo, hi, n) for lo, hi, n in zip(pde.lower, pde.upper, sizes)]


def _grid_points(pde: PDE, spec: PointSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    axes = _grid_axes(pde, spec.grid)
    # Interior: drop both spatial end points and the initial time, as Rathore et al.'s x[1:-1], t[1:].
    time_axis = pde.dim - 1 if "t" in pde.input_names else None
    interior = [ax[1:] if a == time_axis else ax[1:-1] for a, ax in enumerate(axes)]
    candidates = tensor_grid(tuple(interior))
    if spec.n_res > len(candidates):
        raise PinnlabError(f"points.n_res = {spec.n_res} exceeds the {len(candidates)} interior grid nodes")
    points = {"res": candidates[rng.choice(len(candidates), spec.n_res, replace=False)]}
    for cond in pde.conditions():
        parts = []
        for face in cond.faces:
            free_axes = [axes[a] for a in _free_axes(pde, face)]
            free = tensor_grid(tuple(free_axes)) if free_axes else np.zeros((1, 0))
            parts.append(_on_face(pde, face, free))
        points[cond.name] = np.concatenate(parts)
    return points


def _qmc_points(pde: PDE, spec: PointSpec, seed: int) -> dict[str, np.ndarray]:
    def unit(n: int, dim: int, stream: int) -> np.ndarray:
        if dim == 0:
            return np.zeros((n, 0))
        from scipy.stats import qmc  # here: scipy.stats takes half a second to import, and most jobs never draw QMC

        return qmc.Halton(d=dim, scramble=True, seed=np.random.default_rng([seed, stream])).random(n)

    lower, upper = np.array(pde.lower), np.array(pde.upper)
    points = {"res": lower + (upper - lower) * unit(spec.n_res, pde.dim, 0)}
    for c, cond in enumerate(pde.conditions(), start=1):
        parts = []
        for f, (face, n) in enumerate(zip(cond.faces, _split(spec.count(cond.kind), len(cond.faces)))):
            free_axes = _free_axes(pde, face)
            free = lower[free_axes] + (upper[free_axes] - lower[free_axes]) * unit(n, len(free_axes), 100 * c + f)
            parts.append(_on_face(pde, face, free))
        points[cond.name] = np.concatenate(parts)
    return points


def uniform_points(pde: PDE, spec: PointSpec, key: jax.Array) -> dict[str, jax.Array]:
    """I.i.d. uniform points (traceable: used inside the jit-compiled step when resampling)."""
    lower, upper = jnp.array(pde.lower), jnp.array(pde.upper)
    conditions = pde.conditions()
    keys = jax.random.split(key, 1 + sum(len(c.faces) for c in conditions))
    points = {"res": jax.random.uniform(keys[0], (spec.n_res, pde.dim), minval=lower, maxval=upper)}
    k = 1
    for cond in conditions:
        parts = []
        for face, n in zip(cond.faces, _split(spec.count(cond.kind), len(cond.faces))):
            z = jax.random.uniform(keys[k], (n, pde.dim), minval=lower, maxval=upper)
            k += 1
            bound = pde.lower[face.axis] if face.side == "lo" else pde.upper[face.axis]
            parts.append(z.at[:, face.axis].set(bound))
        points[cond.name] = jnp.concatenate(parts)
    return points


def fixed_points(pde: PDE, spec: PointSpec, seed: int) -> dict[str, np.ndarray]:
    """The full-batch point set of a run, drawn once from ``seed`` (float32)."""
    if spec.kind == "grid":
        points = _grid_points(pde, spec, np.random.default_rng(seed))
    elif spec.kind == "qmc":
        points = _qmc_points(pde, spec, seed)
    else:
        points = {k: np.asarray(v) for k, v in uniform_points(pde, spec, jax.random.key(seed)).items()}
    empty = [name for name, p in points.items() if len(p) == 0]
    if empty:
        raise PinnlabError(f"no points for loss term(s) {empty} of {pde.name}: set points.n_initial / n_boundary")
    return {name: p.astype(np.float32) for name, p in points.items()}
