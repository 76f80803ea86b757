"""Loss-weighting schemes: switches of the one training loop, not separate trainers.

A phase may carry ``weighting = {"scheme": ..., "every": N, ...}``; every N steps (at steps 0, N, 2N, …,
before that step's update) the scheme recomputes the weights λ_i of the loss terms, which are then held
until the next update and recorded in the metrics (``weight_<term>``).

- ``ntk`` — PINN-NTK (the target's Algorithm 1; Wang, Yu and Perdikaris 2022): λ_i = Tr(K) / Tr(K_ii) with
  the traces of the NTK blocks on ``points`` fresh uniform points per term (300 in the source).
- ``annealing`` — learning-rate annealing (Wang, Teng and Perdikaris 2021, Algorithm 1, eq. 2.30–2.31) on the
  step's own batch: for each group g of condition terms, λ̂_g = max|∇_W L_r| / mean|∇_W (λ_g L_g)| and
  λ_g ← β λ_g + (1 − β) λ̂_g, with L_g the sum of the group's terms (``groups``; default: every condition
  term its own group) and the residual weight fixed at 1. As the source code (``Klein_Gordon_model_tf.py``):
  statistics over the main layers' weight matrices only (``nets.weight_matrices``), the max over all their
  entries, the mean as the mean of per-matrix means, and the current λ_g inside the gradient — so with a
  frozen gradient ratio G/m the weight settles at √(G/m), not G/m. The source updates after the step on the
  same batch; here it is before the step, on its batch — the same rule one step earlier.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from pinnlab.diagnostics import ntk
from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.losses import loss_terms
from pinnlab.nets import weight_matrices
from pinnlab.sampling import PointSpec, uniform_points

SCHEMES = ("ntk", "annealing")
ANNEALING_EPS = 1e-10  # keeps λ̂ finite when a group's gradient vanishes (the JAX write-up's guard)


def make_weight_update(spec: dict, pde, net, convention: str = "mean"):
    """``update(params, step, weights, batch, key) -> weights`` for the scheme of ``spec`` (traceable, used
    inside the scan); ``key`` is the run's key for a scheme's own points (``Trainer.data["weight_key"]``)."""
    scheme = spec.get("scheme")
    if scheme not in SCHEMES:
        raise unknown_name("weighting scheme", str(scheme), SCHEMES)
    if scheme == "ntk":
        return _ntk_update(spec, pde, net)
    return _annealing_update(spec, pde, net, convention)


def _ntk_update(spec, pde, net):
    n = int(spec["points"])
    points_spec = PointSpec(kind="uniform", n_res=n, n_initial=n, n_boundary=n, resample=True)
    terms = pde.term_names()
    fns = {t: ntk.term_function(pde, net, t) for t in terms}

    def update(params, step, weights, batch, key):
        points = uniform_points(pde, points_spec, jax.random.fold_in(key, step))
        traces = {t: ntk.trace(fns[t], params, points[t]) for t in terms}
        return ntk.ntk_weights(traces)

    return update


def annealing_groups(pde, groups: dict | None) -> dict[str, tuple[str, ...]]:
    """The weight groups of the annealing scheme, checked against the PDE's condition terms."""
    conditions = [c.name for c in pde.conditions()]
    if not groups:
        return {name: (name,) for name in conditions}
    members = [t for g in groups.values() for t in g]
    if sorted(members) != sorted(conditions):
        raise PinnlabError(f"annealing groups {groups} must cover each condition term of {pde.name} exactly once "
                           f"(its terms: {conditions}; the residual keeps weight 1)")
    return {name: tuple(g) for name, g in groups.items()}


def annealing_statistics(grad_res, grads_groups: dict) -> tuple[jax.Array, dict]:
    """(max over all weight matrices of |∇_W L_r|, {group: mean over matrices of mean |∇_W λ_g L_g|})."""
    top = jnp.max(jnp.stack([jnp.max(jnp.abs(w)) for w in weight_matrices(grad_res)]))
    means = {g: jnp.mean(jnp.stack([jnp.mean(jnp.abs(w)) for w in weight_matrices(grad)]))
             for g, grad in grads_groups.items()}
    return top, means


def _annealing_update(spec, pde, net, convention):
    groups = annealing_groups(pde, spec.get("groups"))
    ema = float(spec["ema"])

    def update(params, step, weights, batch, key=None):
        def group_loss(p, members):
            terms = loss_terms(pde, net, p, batch, convention)
            return sum(terms[t] for t in members)

        # One gradient per group; XLA drops the other terms' work from each (a jacrev over all terms would
        # push every term's cotangent through the residual's second derivatives: measured 3× the cost).
        grad_res = jax.grad(group_loss)(params, ("res",))
        weighted = {g: jax.tree.map(lambda leaf, g=g: weights[members[0]] * leaf,
                                    jax.grad(group_loss)(params, members))
                    for g, members in groups.items()}
        top, means = annealing_statistics(grad_res, weighted)
        new = dict(weights)
        for g, members in groups.items():
            lam = ema * weights[members[0]] + (1 - ema) * top / (means[g] + ANNEALING_EPS)
            new |= {t: lam for t in members}
        return new

    return update
