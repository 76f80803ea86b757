"""Write ``data/reference/<pde>.npz`` (the solution on the PDE's evaluation grid) and its JSON sidecar.

Exact solutions are evaluated in float64; Burgers and Heat2d-LT come from our own solvers. The
sidecar records the method, its settings, the estimated error and the file's SHA-256.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jax
import numpy as np

from pinnlab.errors import PinnlabError
from pinnlab.integrity import sha256
from pinnlab.pdes import PDE, tensor_grid


def _exact_solver(pde: PDE, axes, **settings):
    if settings:
        raise PinnlabError(f"the exact solution of {pde.name} takes no settings (got {sorted(settings)})")
    with jax.enable_x64(True):
        values = np.asarray(jax.vmap(pde.exact)(jax.numpy.asarray(tensor_grid(axes))))
    info = {"method": "exact closed-form solution, evaluated in float64", "settings": {},
            "estimated_max_abs_error": float(np.finfo(np.float64).eps * max(1.0, np.abs(values).max()) * 10),
            "error_estimate_method": "rounding of a float64 evaluation of the closed form"}
    return values.reshape([len(a) for a in axes]), info


def solver_for(pde: PDE):
    if pde.has_exact:
        return _exact_solver
    if pde.name == "burgers":
        from pinnlab.reference import burgers
        return burgers.solve
    if pde.name == "heat2d_lt":
        from pinnlab.reference import heat2d_lt
        return heat2d_lt.solve
    raise PinnlabError(f"no reference solver for {pde.name}")


def build_reference(pde: PDE, out: Path, **settings) -> dict:
    axes = pde.eval_axes()
    t0 = time.perf_counter()
    values, info = solver_for(pde)(pde, axes, **settings)
    seconds = time.perf_counter() - t0
    sidecar = {"pde": pde.name, "constants": {k: v for k, v in vars(pde).items()},
               "axes": {name: {"min": float(a[0]), "max": float(a[-1]), "n": len(a)}
                        for name, a in zip(pde.input_names, axes)},
               **info, "solve_seconds": round(seconds, 3)}
    return save_reference(out, axes, values, sidecar)


def save_reference(out: Path | str, axes, values: np.ndarray, sidecar: dict) -> dict:
    """``out`` (the axes and the values on their grid) and its JSON sidecar: ``sidecar`` and the file's SHA-256,
    which ``evaluate.load_reference`` checks. The ``.npz`` is written whole before it takes its name."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"axis_{i}": a for i, a in enumerate(axes)} | {"n_axes": np.array(len(axes)), "u": values}
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(out)
    sidecar = sidecar | {"sha256": sha256(out)}
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    return sidecar
