"""Loss-weighting schemes: switches of the one training loop, not separate trainers.

A phase may carry ``weighting = {"scheme": ..., "every": N, ...}``; every N steps (at steps 0, N, 2N, …,
before that step's update) the scheme recomputes the weights λ_i of the loss terms, which are then held
until the next update and recorded in the metrics (``weight_<term>``).

- ``ntk`` — PINN-NTK (the target's Algorithm 1; Wang, Yu and Perdikaris 2022): λ_i = Tr(K) / Tr(K_ii) with
  the traces of the NTK blocks on ``points`` fresh uniform points per term (300 in the source).
"""

from __future__ import annotations

import jax

from pinnlab.diagnostics import ntk
from pinnlab.errors import unknown_name
from pinnlab.sampling import PointSpec, uniform_points

SCHEMES = ("ntk",)


def make_weight_update(spec: dict, pde, net, seed: int):
    """``update(params, step) -> weights`` for the scheme of ``spec`` (traceable, used inside the scan)."""
    scheme = spec.get("scheme")
    if scheme not in SCHEMES:
        raise unknown_name("weighting scheme", str(scheme), SCHEMES)
    n = int(spec.get("points", 300))
    points_spec = PointSpec(kind="uniform", n_res=n, n_initial=n, n_boundary=n, resample=True)
    key = jax.random.fold_in(jax.random.key(seed), 2)
    terms = pde.term_names()
    fns = {t: ntk.term_function(pde, net, t) for t in terms}

    def update(params, step):
        points = uniform_points(pde, points_spec, jax.random.fold_in(key, step))
        traces = {t: ntk.trace(fns[t], params, points[t]) for t in terms}
        return ntk.ntk_weights(traces)

    return update
