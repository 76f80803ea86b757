"""Wave u_tt − c² u_xx = 0 on [0, 1]², c² = 4, u(x, 0) = sin πx + ½ sin βπx, u_t(x, 0) = 0, u(0, t) = u(1, t) = 0.

Exact solution sin πx cos 2πt + ½ sin βπx cos 2βπt. β = 5 is Rathore et al.'s problem (behind the
target paper's Adam / Adam+L-BFGS / GDND numbers); β = 4 is PINNacle's Wave1d-C and Wang et al.'s
PINNsNTK wave (behind its PINN-NTK / PCPINN numbers). ``config/config.yaml`` picks one.
Four loss terms, as Rathore's code sums them: ic, ic_t, bc_x0, bc_x1.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Wave(PDE):
    beta: float = 5.0
    c_squared: float = 4.0

    name = "wave"
    input_names = ("x", "t")

    lower = (0.0, 0.0)
    upper = (1.0, 1.0)

    def residual(self, u, z):
        return partial(u, 1, 2)(z) - self.c_squared * partial(u, 0, 2)(z)

    def conditions(self):
        x_initial = lambda x: jnp.sin(jnp.pi * x) + 0.5 * jnp.sin(self.beta * jnp.pi * x)  # noqa: E731
        return (
            Condition("ic", "initial", (Face(1, "lo"),), lambda u, z: u(z) - x_initial(z[0])),
            Condition("ic_t", "initial", (Face(1, "lo"),), lambda u, z: partial(u, 1)(z)),
            Condition("bc_x0", "boundary", (Face(0, "lo"),), lambda u, z: u(z)),
            Condition("bc_x1", "boundary", (Face(0, "hi"),), lambda u, z: u(z)),
        )

    def exact(self, z):
        x, t = z[0], z[1]
        c = jnp.sqrt(self.c_squared)
        return (jnp.sin(jnp.pi * x) * jnp.cos(c * jnp.pi * t)
                + 0.5 * jnp.sin(self.beta * jnp.pi * x) * jnp.cos(c * self.beta * jnp.pi * t))

    def eval_axes(self):
        return (np.linspace(0.0, 1.0, 257), np.linspace(0.0, 1.0, 101))
