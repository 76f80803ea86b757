"""Reaction u_t − ρ u (1 − u) = 0, x ∈ [0, 2π], t ∈ [0, 1], periodic in x.

Setup of Rathore et al. (ICML 2024), App. A; ρ = 5 in the target paper. Initial condition
h(x) = exp(−(x − π)² / (2 (π/4)²)); exact solution h e^{ρt} / (h e^{ρt} + 1 − h).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Reaction(PDE):
    rho: float = 5.0

    name = "reaction"
    input_names = ("x", "t")
    nonlinear = True

    lower = (0.0, 0.0)
    upper = (2 * np.pi, 1.0)

    @staticmethod
    def initial(x, xp=jnp):
        return xp.exp(-((x - xp.pi) ** 2) / (2 * (xp.pi / 4) ** 2))

    def residual(self, u, z):
        value = u(z)
        return partial(u, 1)(z) - self.rho * value * (1 - value)

    def conditions(self):
        return (
            Condition("ic", "initial", (Face(1, "lo"),), lambda u, z: u(z) - self.initial(z[0])),
            self.periodic(0),
        )

    def exact(self, z):
        h = self.initial(z[0])
        growth = h * jnp.exp(self.rho * z[1])
        return growth / (growth + 1 - h)

    def eval_axes(self):
        return (np.linspace(0.0, 2 * np.pi, 257), np.linspace(0.0, 1.0, 101))
