"""The compiled pieces of a run: its network, data, objective, chunks of steps and metrics rows.

Steps are jit-compiled and run ``log_every`` at a time inside ``lax.scan`` (one dispatch per chunk, no host
synchronisation inside it). The compiled functions take the run's data (points, or the keys that draw them)
as an argument rather than as baked-in constants, so runs that differ only in their seed share one program:
vmapped together or one after another in one process (``pinnlab.training.loop``), and across processes through the
persistent compilation cache.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from pinnlab.evaluate import Reference, l2_relative_error
from pinnlab.losses import loss_terms, weighted_total
from pinnlab.nets import network_for
from pinnlab.sampling import fixed_points, run_key, uniform_points
from pinnlab.training.run import Phase, Run


class Trainer:
    def __init__(self, run: Run, reference: Reference):
        self.run = run
        pde = run.pde
        self.net, self.params0 = network_for(pde, run.network, run.seed)
        self.custom = run.objective
        self.term_names = self.custom.term_names if self.custom else pde.term_names()
        # Everything that differs between seeds besides the parameters: the points (or the key that draws
        # them each step) and the key of a weighting scheme's points.
        if run.points.resample:
            self.data = {"sample_key": run_key(run.seed, "points")}
        else:
            self.data = {"fixed": {k: jnp.asarray(v) for k, v in fixed_points(pde, run.points, run.seed).items()}}
        self.data["weight_key"] = run_key(run.seed, "weighting")
        self.eval_points = jnp.asarray(reference.points, dtype=jnp.float32)
        self.eval_values = jnp.asarray(reference.values, dtype=jnp.float32)
        self._chunks: dict = {}
        self._measure = jax.jit(self.measure_fn)
        if self.custom:
            self.objective = self.custom.bind(self)
        self.probes = [make(self) for make in run.probes]

    def batch(self, step, data=None):
        data = self.data if data is None else data
        if "fixed" in data:
            return data["fixed"]
        return uniform_points(self.run.pde, self.run.points, jax.random.fold_in(data["sample_key"], step))

    def objective(self, params, batch, weights):
        """The PINN loss Σ λ_i L_i (replaced by ``run.objective`` when the run has one)."""
        terms = loss_terms(self.run.pde, self.net, params, batch, self.run.loss_convention)
        return weighted_total(terms, weights), terms

    def before_chunk(self, step, params) -> bool:
        """A custom objective's host-side work before the chunk at ``step``; whether the objective changed."""
        return bool(self.custom and self.custom.before_chunk(step, params))

    def measure_fn(self, params, step, weights, data):
        """(loss terms on the step's batch, L2RE on the evaluation grid): a metrics row's numbers."""
        _, terms = self.objective(params, self.batch(step, data), weights)
        pred = jax.vmap(lambda z: self.net.apply(params, z))(self.eval_points)
        return terms, l2_relative_error(pred, self.eval_values)

    def chunk_fn(self, phase: Phase, length: int, refresh: bool = False):
        """``run_chunk(params, opt_state, weights, start, data)``: ``length`` steps of ``phase`` in one
        ``lax.scan`` from step ``start`` (not compiled). ``refresh``: the objective changed before the chunk (PCPINN
        rebuilt its preconditioner), so its first step is the optimizer's ``first`` too: an optimizer that kept the
        old objective's value and gradient (L-BFGS, from its line search) computes them afresh, as torch's L-BFGS
        does at every ``step(closure)`` call."""
        reweight = None
        if phase.weighting:
            from pinnlab.training.weighting import make_weight_update

            reweight = make_weight_update(phase.weighting, self.run.pde, self.net, self.run.loss_convention)

        # the step at which the phase starts with a fresh optimizer state; a phase this run does not have (a
        # benchmark's) starts with the chunk
        phase_start = {p.name: self.run.phase_end(i) - p.steps for i, p in enumerate(self.run.phases)}.get(phase.name)

        def run_chunk(params, opt_state, weights, start, data):
            begin = start if phase_start is None else phase_start
            restart = start if refresh else begin

            def body(carry, step):
                params, opt_state, weights = carry
                batch = self.batch(step, data)
                if reweight is not None:
                    weights = jax.lax.cond(step % phase.weighting["every"] == 0,
                                           lambda: reweight(params, step, weights, batch, data["weight_key"]),
                                           lambda: weights)
                # `step` is the same for every seed (not vmapped): a branch on it stays a branch
                params, opt_state, terms = phase.optimizer.step(self.objective, params, opt_state, batch, weights,
                                                                first=(step == begin) | (step == restart))
                return (params, opt_state, weights), terms

            return jax.lax.scan(body, (params, opt_state, weights), start + jnp.arange(length))

        return run_chunk

    def compiled_chunk(self, phase: Phase, length: int):
        """``chunk_fn`` compiled, the data an argument (``(params, opt_state, weights, start, data)``)."""
        key = (phase.name, length)
        if key not in self._chunks:
            self._chunks[key] = jax.jit(self.chunk_fn(phase, length))
        return self._chunks[key]

    def chunk(self, phase: Phase, length: int):
        """``(params, opt_state, weights, start)`` → ``length`` steps of ``phase`` on this run's data."""
        compiled = self.compiled_chunk(phase, length)
        return lambda p, s, w, start: compiled(p, s, w, start, self.data)

    def metrics_row(self, step, phase, wall, params, weights, opt_state=None, measured=None) -> dict:
        """The metrics row at ``step``; ``measured``: (terms, l2re) when already computed."""
        terms, l2re = measured if measured is not None else self._measure(params, step, weights, self.data)
        row = metrics_row(step, phase.name, wall, terms, l2re, weights, self.term_names)
        if opt_state is not None and hasattr(phase.optimizer, "diagnostics"):
            row |= {k: float(v) for k, v in phase.optimizer.diagnostics(opt_state).items()}
        for probe in self.probes:
            row |= {k: float(v) for k, v in probe(params, step).items()}
        return row


def metrics_row(step, phase_name, wall, terms, l2re, weights, term_names) -> dict:
    """One metrics row from measured numbers: each term, the weighted loss, the weights and the L2RE."""
    terms = {k: float(v) for k, v in terms.items()}
    row = {"step": step, "phase": phase_name, "wall_time_s": round(wall, 4),
           "loss": sum(float(weights[k]) * v for k, v in terms.items())}
    row |= {f"loss_{k}": v for k, v in terms.items()}
    row |= {f"weight_{k}": float(weights[k]) for k in term_names}
    row["l2re"] = float(l2re)
    return row
