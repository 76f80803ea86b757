"""Heat2d-LT: u_t = D Δu + A sin(k u²) (1 + 2 sin(πt/4)) sin(m₁πx) sin(m₂πy) on [0, 1]² × [0, 100].

PINNacle's Heat2D_LongTime (``i207M/PINNacle: src/pde/heat.py``): D = 0.001, A = 5, k = 1, m₁ = 4,
m₂ = 2, u(x, y, 0) = sin(4πx) sin(3πy), u = 0 on the spatial boundary. Reference solution by a
sine-spectral method in space, ``pinnlab.reference.heat2d_lt``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class Heat2dLT(PDE):
    diffusivity: float = 1e-3
    amplitude: float = 5.0
    k: float = 1.0
    m1: float = 4.0
    m2: float = 2.0
    ic_mx: float = 4.0
    ic_my: float = 3.0
    t_end: float = 100.0

    name = "heat2d_lt"
    input_names = ("x", "y", "t")
    has_exact = False
    nonlinear = True

    lower = (0.0, 0.0, 0.0)

    @property
    def upper(self):
        return (1.0, 1.0, self.t_end)

    def source(self, u, x, y, t, xp=jnp):
        """The nonlinear forcing A sin(k u²)(1 + 2 sin(πt/4)) sin(m₁πx) sin(m₂πy), elementwise.

        Shared by the residual (``xp = jax.numpy``) and the float64 reference solver (``xp = numpy``)
        so that both solve the same equation.
        """
        return (self.amplitude * xp.sin(self.k * u**2) * (1 + 2 * xp.sin(xp.pi * t / 4))
                * xp.sin(self.m1 * xp.pi * x) * xp.sin(self.m2 * xp.pi * y))

    def initial(self, x, y, xp=jnp):
        return xp.sin(self.ic_mx * xp.pi * x) * xp.sin(self.ic_my * xp.pi * y)

    def residual(self, u, z):
        laplacian = partial(u, 0, 2)(z) + partial(u, 1, 2)(z)
        return partial(u, 2)(z) - self.diffusivity * laplacian - self.source(u(z), z[0], z[1], z[2])

    def conditions(self):
        spatial_faces = (Face(0, "lo"), Face(0, "hi"), Face(1, "lo"), Face(1, "hi"))
        return (
            Condition("ic", "initial", (Face(2, "lo"),), lambda u, z: u(z) - self.initial(z[0], z[1])),
            Condition("bc", "boundary", spatial_faces, lambda u, z: u(z)),
        )

    def eval_axes(self):
        return (np.linspace(0.0, 1.0, 33), np.linspace(0.0, 1.0, 33), np.linspace(0.0, self.t_end, 101))
