"""What every PDE problem of the zoo provides: a box domain, a residual operator, named conditions.

A network enters the numerics as a scalar function ``u(z)`` of one point ``z`` (shape ``(d,)``,
coordinates ordered as ``PDE.input_names``, time last).  Residuals and conditions are written once,
for one point, with JAX autodiff; batching is ``jax.vmap`` in ``pinnlab.losses``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np

ScalarFn = Callable[[jax.Array], jax.Array]
"""A function of one point ``z`` (shape ``(d,)``) returning a scalar."""


DERIVATIVE_MODES = ("forward", "reverse")
_mode = {"value": "forward"}


def partial(f: ScalarFn, axis: int, order: int = 1) -> ScalarFn:
    """``∂^order f / ∂z_axis`` as a new scalar function.

    Forward mode (jvp of jvp, the default) costs one extra pass per order along one input direction; nested
    reverse mode (grad of grad) costs a backward pass per order and builds full input gradients to keep one
    entry. Measured on every Table-2 PDE (``benchmarks/step_times.py --what adam --derivatives forward
    reverse``, docs/performance.md) forward mode wins, so it is what runs; ``derivative_mode`` switches for
    the benchmark and for the test that both agree.
    """
    step = _directional if _mode["value"] == "forward" else _reverse
    for _ in range(order):
        f = step(f, axis)
    return f


def _directional(f: ScalarFn, axis: int) -> ScalarFn:
    def derivative(z: jax.Array) -> jax.Array:
        direction = jnp.zeros_like(z).at[axis].set(1.0)
        return jax.jvp(f, (z,), (direction,))[1]

    return derivative


def _reverse(f: ScalarFn, axis: int) -> ScalarFn:
    return lambda z: jax.grad(f)(z)[axis]


@contextmanager
def derivative_mode(mode: str):
    """Build residuals with ``mode`` derivatives inside the block (traced functions keep the mode they were
    traced with)."""
    if mode not in DERIVATIVE_MODES:
        raise ValueError(f"unknown derivative mode {mode!r}; valid: {DERIVATIVE_MODES}")
    previous, _mode["value"] = _mode["value"], mode
    try:
        yield
    finally:
        _mode["value"] = previous


@dataclass(frozen=True)
class Face:
    """The part of the domain boundary where ``z[axis]`` equals the lower or upper bound."""

    axis: int
    side: str  # "lo" | "hi"


@dataclass(frozen=True)
class Condition:
    """One initial or boundary condition; it becomes one named loss term.

    ``residual(u, z)`` is zero where the condition holds, for ``z`` a point on one of ``faces``.
    ``kind`` ("initial" or "boundary") decides how many points a sampler gives it.
    """

    name: str
    kind: str
    faces: tuple[Face, ...]
    residual: Callable[[ScalarFn, jax.Array], jax.Array]


class PDE:
    """Base of every problem. Subclasses are frozen dataclasses whose fields are the physical constants.

    Subclasses define ``name``, ``input_names``, ``lower``, ``upper``, ``residual``, ``conditions``,
    ``eval_axes`` and either ``exact`` (``has_exact = True``) or a reference solver in
    ``pinnlab.reference``.
    """

    name: ClassVar[str]
    input_names: ClassVar[tuple[str, ...]]
    lower: ClassVar[tuple[float, ...]]
    upper: ClassVar[tuple[float, ...]]
    has_exact: ClassVar[bool] = True
    nonlinear: ClassVar[bool] = False

    @property
    def dim(self) -> int:
        return len(self.input_names)

    def residual(self, u: ScalarFn, z: jax.Array) -> jax.Array:
        """F[u](z) − f(z) at one interior point."""
        raise NotImplementedError

    def conditions(self) -> tuple[Condition, ...]:
        raise NotImplementedError

    def exact(self, z: jax.Array) -> jax.Array:
        """Exact solution at one point (only where ``has_exact``)."""
        raise NotImplementedError(f"{self.name} has no closed-form solution; see pinnlab.reference")

    def eval_axes(self) -> tuple[np.ndarray, ...]:
        """1-D coordinate arrays whose tensor grid is the evaluation set of the L2RE."""
        raise NotImplementedError

    def term_names(self) -> tuple[str, ...]:
        """Names of the loss terms: the residual first, then one per condition."""
        return ("res", *(c.name for c in self.conditions()))

    def point_on_face(self, z: jax.Array, face: Face) -> jax.Array:
        bound = self.lower[face.axis] if face.side == "lo" else self.upper[face.axis]
        return z.at[face.axis].set(bound)

    def periodic(self, axis: int) -> Condition:
        """Periodicity in ``axis`` as Rathore et al. impose it: u(lo) − u(hi) on points of the face lo."""
        return Condition("bc", "boundary", (Face(axis, "lo"),),
                         lambda u, z: u(z) - u(self.point_on_face(z, Face(axis, "hi"))))


def tensor_grid(axes: tuple[np.ndarray, ...]) -> np.ndarray:
    """All points of the tensor grid of ``axes``, shape ``(prod(len), d)``, first axis slowest."""
    mesh = np.meshgrid(*axes, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=-1)
