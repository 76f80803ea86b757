"""Poisson-1D u_xx = f on [0, 1], exact u = sin(aπx), f = −(aπ)² sin(aπx), Dirichlet at x = 0 and 1.

Wang, Yu and Perdikaris, "When and why PINNs fail to train: a neural tangent kernel perspective"
(JCP 2022), Sec. 7.2 (a = 4; Sec. 7.1 uses a = 1) and ``PINNsNTK/PINNsNTK_Poisson1D.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Poisson1D(PDE):
    a: float = 4.0

    name = "poisson1d"
    input_names = ("x",)

    lower = (0.0,)
    upper = (1.0,)

    def exact(self, z):
        return jnp.sin(self.a * jnp.pi * z[0])

    def forcing(self, z):
        return -((self.a * jnp.pi) ** 2) * jnp.sin(self.a * jnp.pi * z[0])

    def residual(self, u, z):
        return partial(u, 0, 2)(z) - self.forcing(z)

    def conditions(self):
        return (Condition("bc", "boundary", (Face(0, "lo"), Face(0, "hi")),
                          lambda u, z: u(z) - self.exact(z)),)

    def eval_axes(self):
        return (np.linspace(0.0, 1.0, 1000),)
