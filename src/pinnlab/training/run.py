"""What a training run is: optimizer phases, a network, points, a seed, and the provenance that identifies it.

A run is a sequence of optimizer phases (Adam; L-BFGS; NNCG, ...). An optimizer has ``init(params) -> state``
and ``step(objective, params, state, batch, weights) -> (params, state, loss_terms)`` with
``objective(params, batch, weights) -> (total, terms)``; any optimizer written this way inherits metrics,
checkpoints, resume, divergence detection and progress from the loop (``pinnlab.training.loop``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import jax
import optax

from pinnlab.nets import Network, Params
from pinnlab.pdes import PDE
from pinnlab.sampling import PointSpec


class OptaxPhase:
    """A first-order optax transformation driven by the gradient of the weighted loss."""

    # whether ``step`` reuses a loss and gradient computed at an earlier step unless told ``first``; such an
    # optimizer's first step after the objective changes (PCPINN's rebuilds) must be a ``first`` one
    reuses_values = False

    def __init__(self, tx: optax.GradientTransformation):
        self.tx = tx

    def init(self, params):
        return self.tx.init(params)

    def step(self, objective, params, opt_state, batch, weights, first=None):
        """One step; ``first`` (the phase's first step) matters only to optimizers that carry values across steps."""
        (_, terms), grads = jax.value_and_grad(objective, has_aux=True)(params, batch, weights)
        updates, opt_state = self.tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, terms


@dataclass(frozen=True)
class Phase:
    name: str
    steps: int
    optimizer: OptaxPhase
    weighting: dict | None = None  # a loss-weighting scheme of ``pinnlab.training.weighting`` for this phase


@dataclass(frozen=True)
class WarmStart:
    """A finished run that this one continues (GDND continues Adam+L-BFGS with NNCG).

    Its metrics become the first rows of this run's metrics and its steps count in this run's.
    """

    params_path: Path
    metrics: list
    step: int
    wall_time_s: float
    status: str
    diverged_at: int | None = None


@dataclass
class Run:
    """Everything a training run needs, resolved from the config (``pinnlab.experiments.runs``)."""

    pde: PDE
    phases: list[Phase]
    network: dict  # width, depth, input_normalization, architecture
    points: PointSpec
    seed: int
    log_every: int
    checkpoint_every: int
    loss_convention: str = "mean"
    label: str = ""
    resolved: dict = field(default_factory=dict)  # the provenance record that defines the run
    warm_start: WarmStart | None = None
    # Diagnostics recorded with every metrics row: factories ``probe(trainer)`` returning a function
    # ``(params, step) -> dict`` (e.g. the NTK drift of Fig. 1a; the step keys its resampled points).
    probes: list = field(default_factory=list)
    # A loss other than the PINN loss terms (PCPINN): an object with ``term_names``, ``bind(trainer) ->
    # objective``, ``before_chunk(step, params)``, ``host_state()`` and ``restore(state)``.
    objective: object | None = None

    @property
    def start_step(self) -> int:
        return self.warm_start.step if self.warm_start else 0

    @property
    def iterations(self) -> int:
        """Total steps, those of a warm start included."""
        return self.start_step + sum(p.steps for p in self.phases)

    def phase_at(self, step: int) -> tuple[int, int]:
        """(index of the phase that runs step ``step``, the step where that phase ends)."""
        end = self.start_step
        for i, phase in enumerate(self.phases):
            end += phase.steps
            if step < end:
                return i, end
        return len(self.phases) - 1, end

    def phase_end(self, index: int) -> int:
        return self.start_step + sum(p.steps for p in self.phases[:index + 1])

    def fingerprint(self) -> str:
        text = json.dumps(self.resolved, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Outcome:
    params: Params
    network: Network
    metrics: list[dict]
    status: str  # "ok" | "diverged"
    diverged_at: int | None
    wall_time_s: float
    resumed_from: int
