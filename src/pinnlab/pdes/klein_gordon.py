"""Klein–Gordon u_tt + α u_xx + β u + γ u^k = f on (x, t) ∈ [0, 1]², α = −1, β = 0, γ = 1, k = 3.

Wang, Teng and Perdikaris, "Understanding and mitigating gradient flow pathologies" (SIAM JSC 2021),
Sec. 3.2 and ``GradientPathologiesPINNs/Klein Gordon/Klein_Gordon.py``. Exact solution
u = x cos 5πt + (xt)³; f is that solution put through the operator, written here in closed form
(u_tt = −25π² x cos 5πt + 6 t x³, u_xx = 6 x t³) so that the autodiff residual can be checked against
it. Conditions from the exact solution: u and u_t at t = 0, Dirichlet at x = 0 and x = 1.
Coordinates are ordered (x, t) like every PDE here; the source orders them (t, x).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from pinnlab.pdes.base import PDE, Condition, Face, partial


@dataclass(frozen=True)
class KleinGordon(PDE):
    alpha: float = -1.0
    beta: float = 0.0
    gamma: float = 1.0
    k: int = 3

    name = "klein_gordon"
    input_names = ("x", "t")
    nonlinear = True

    lower = (0.0, 0.0)
    upper = (1.0, 1.0)

    def exact(self, z):
        x, t = z[0], z[1]
        return x * jnp.cos(5 * jnp.pi * t) + (x * t) ** 3

    def forcing(self, z):
        x, t = z[0], z[1]
        u_tt = -25 * jnp.pi**2 * x * jnp.cos(5 * jnp.pi * t) + 6 * t * x**3
        u_xx = 6 * x * t**3
        u = self.exact(z)
        return u_tt + self.alpha * u_xx + self.beta * u + self.gamma * u**self.k

    def residual(self, u, z):
        value = u(z)
        operator = (partial(u, 1, 2)(z) + self.alpha * partial(u, 0, 2)(z)
                    + self.beta * value + self.gamma * value**self.k)
        return operator - self.forcing(z)

    def conditions(self):
        exact_t = partial(self.exact, 1)
        return (
            Condition("ic", "initial", (Face(1, "lo"),), lambda u, z: u(z) - self.exact(z)),
            Condition("ic_t", "initial", (Face(1, "lo"),), lambda u, z: partial(u, 1)(z) - exact_t(z)),
            Condition("bc_x0", "boundary", (Face(0, "lo"),), lambda u, z: u(z) - self.exact(z)),
            Condition("bc_x1", "boundary", (Face(0, "hi"),), lambda u, z: u(z) - self.exact(z)),
        )

    def eval_axes(self):
        return (np.linspace(0.0, 1.0, 100), np.linspace(0.0, 1.0, 100))
