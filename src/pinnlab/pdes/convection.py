"""Convection u_t + β u_x = 0, x ∈ [0, 2π], t ∈ [0, 1], u(x, 0) = sin x, periodic in x.

Setup of Rathore et al. (ICML 2024), App. A and ``opt_for_pinns/src/train_utils.py``; the target
paper's Table 1 uses β = 40. Exact solution sin(x − βt).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Convection(PDE):
    beta: float = 40.0

    name = "convection"
    input_names = ("x", "t")

    lower = (0.0, 0.0)
    upper = (2 * np.pi, 1.0)

    def residual(self, u, z):
        return partial(u, 1)(z) + self.beta * partial(u, 0)(z)

    def conditions(self):
        return (
            Condition("ic", "initial", (Face(1, "lo"),), lambda u, z: u(z) - jnp.sin(z[0])),
            self.periodic(0),
        )

    def exact(self, z):
        return jnp.sin(z[0] - self.beta * z[1])

    def eval_axes(self):
        return (np.linspace(0.0, 2 * np.pi, 257), np.linspace(0.0, 1.0, 101))
