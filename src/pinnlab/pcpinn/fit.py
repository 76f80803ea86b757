"""The ``fit_uh`` control: L_fit(θ) = mean_i (u_θ(z_i) − u_h,i)², z_i the PCPINN grid's nodes, u_h the
finite-difference solution of the same discretisation (``pinnlab.pcpinn.solution``), solved once on the host.

Near u_h, L_PC = mean [P⁻¹J (u_θ − u_h)]² (J the Jacobian of F_h at u_h); with a near-exact P, P⁻¹J ≈ I and L_PC
is this loss. Training it under PCPINN's protocol separates what the preconditioned residual adds from a supervised
fit to the solution of the same grid. It has no PDE residual, no separate IC / BC terms (u_h holds them) and no
host state during training; it plugs into the loop as PCPINN's objective does (``Run.objective``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.solution import fd_solution


class FitObjective:
    term_names = ("fit",)

    def __init__(self, pde, settings: dict):
        self.pde = pde
        self.disc = discretise(pde, settings["grid"])
        self.target = fd_solution(self.disc)

    def bind(self, trainer):
        net = trainer.net
        nodes = jnp.asarray(self.disc.nodes(), jnp.float32)
        target = jnp.asarray(self.target, jnp.float32)

        def objective(params, batch, weights):
            u = jax.vmap(lambda z: net.apply(params, z))(nodes)
            fit = jnp.mean((u - target) ** 2)
            return weights["fit"] * fit, {"fit": fit}

        return objective

    def before_chunk(self, step: int, params) -> bool:
        """Nothing to rebuild: u_h is fixed, the objective never changes."""
        return False

    def host_state(self) -> dict:
        return {}

    def restore(self, state: dict) -> None:
        """No host state to restore."""
