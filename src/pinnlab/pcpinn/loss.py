"""The PCPINN loss L_PC(θ) = mean_i [P⁻¹(A u_θ + N(u_θ) − b)]_i², u_θ the network at the grid's nodes.

(The target paper writes ‖P⁻¹A u_θ − P⁻¹b‖²; we take the mean over rows, like every other loss here, and keep
the nonlinear term exactly: for Reaction, Burgers and Heat2d-LT F_h is the full nonlinear scheme. P is the ILU
of its Jacobian at the network's current prediction — a Newton linearisation, ``linearisation: newton`` —
rebuilt every ``rebuild_every`` steps, or of its linear part A alone (``linearisation: linear``, built once; the
choice for Heat2d-LT, whose Jacobian at a poor prediction is nearly singular with Δt = 1). For the linear PDEs
P is built once from A. ``preconditioner``: the factorisation, ``ilut`` (near-exact at the config's defaults) or
``ilu0`` (``pinnlab.pcpinn.preconditioner.PRECONDITIONERS``).)

The object plugs into the training loop (``pinnlab.training.run.Run.objective``): ``bind`` gives the objective,
``before_chunk`` rebuilds the preconditioner on the host between compiled chunks, and ``host_state`` /
``restore`` carry the linearisation point through checkpoints so that a resumed run is identical to an
uninterrupted one.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.ilu0 import time_major
from pinnlab.pcpinn.preconditioner import IluPreconditioner


class PCPINNObjective:
    term_names = ("pc",)

    def __init__(self, pde, settings: dict, preconditioner: str = "ilut"):
        self.pde = pde
        self.settings = settings
        self.disc = discretise(pde, settings["grid"])
        self.preconditioner = IluPreconditioner(settings["drop_tol"], settings["fill_factor"], preconditioner,
                                                time_major(self.disc.shape))
        self.nonlinear = (self.disc.pointwise is not None or self.disc.burgers_d1 is not None) \
            and settings["linearisation"] == "newton"
        self.linearisation = None  # nodal values the preconditioner was built at (nonlinear PDEs)
        self.built_at = None

    def bind(self, trainer):
        net = trainer.net
        nodes = jnp.asarray(self.disc.nodes(), jnp.float32)
        disc, precondition = self.disc, self.preconditioner.apply
        self._predict = jax.jit(lambda params: jax.vmap(lambda z: net.apply(params, z))(nodes))

        def objective(params, batch, weights):
            u = jax.vmap(lambda z: net.apply(params, z))(nodes)
            pc = jnp.mean(precondition(disc.residual(u)) ** 2)
            return weights["pc"] * pc, {"pc": pc}

        return objective

    def _build(self, u):
        self.preconditioner.build(self.disc.jacobian(u) if self.nonlinear else self.disc.A)
        self.linearisation = np.asarray(u, np.float64)

    def before_chunk(self, step: int, params) -> bool:
        """Build the preconditioner if none is built or a rebuild is due; whether the objective changed."""
        due = self.nonlinear and step % self.settings["rebuild_every"] == 0 and step != self.built_at
        if self.preconditioner.ilu is None or due:
            self._build(np.asarray(self._predict(params)))
            self.built_at = step
            return True
        return False

    def host_state(self) -> dict:
        return {"linearisation": self.linearisation, "built_at": np.array(self.built_at)}

    def restore(self, state: dict) -> None:
        self._build(state["linearisation"])
        self.built_at = int(state["built_at"])
