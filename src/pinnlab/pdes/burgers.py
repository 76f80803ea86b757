"""Viscous Burgers u_t + u u_x = ν u_xx, x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0.

PINNacle's Burgers1d-C (``i207M/PINNacle: src/pde/burgers.py``) with ν = 0.01/π (the target paper's
Table 1 prints π/100, a typo: its Fig. 1 titles and PINNacle use 0.01/π). Reference solution by the
Cole–Hopf representation, ``pinnlab.reference.burgers``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Burgers(PDE):
    nu: float = 0.01 / np.pi

    name = "burgers"
    input_names = ("x", "t")
    has_exact = False
    nonlinear = True

    lower = (-1.0, 0.0)
    upper = (1.0, 1.0)

    @staticmethod
    def initial(x, xp=jnp):
        return -xp.sin(xp.pi * x)

    def residual(self, u, z):
        return partial(u, 1)(z) + u(z) * partial(u, 0)(z) - self.nu * partial(u, 0, 2)(z)

    def conditions(self):
        return (
            Condition("ic", "initial", (Face(1, "lo"),), lambda u, z: u(z) - self.initial(z[0])),
            Condition("bc", "boundary", (Face(0, "lo"), Face(0, "hi")), lambda u, z: u(z)),
        )

    def eval_axes(self):
        return (np.linspace(-1.0, 1.0, 201), np.linspace(0.0, 1.0, 101))
