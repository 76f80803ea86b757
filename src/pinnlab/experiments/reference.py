"""Reference solutions (rule ``reference``): the PDE's exact solution, or our Burgers / Heat2d-LT solvers, on its
evaluation grid (``pinnlab.reference.build``), with a JSON sidecar saying how it was made."""

from __future__ import annotations

from pathlib import Path

from pinnlab.pdes import make_pde
from pinnlab.reference.build import build_reference


def reference(job) -> dict:
    """``data/reference/<pde>.npz`` and its sidecar ``<pde>.json``."""
    pde = job.wildcards.pde
    info = build_reference(make_pde(pde, **job.params.constants), Path(job.output.npz))
    print(f"[pinnlab] reference {pde}: {info['method']}; estimated max error "
          f"{info['estimated_max_abs_error']:.2e}; {info['solve_seconds']:.1f} s → {job.output.npz}", flush=True)
    return info
