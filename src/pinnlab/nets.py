"""The network: a Flax NNX multilayer perceptron, used through the pure function ``u(params, z)``.

tanh, Glorot-normal weights, zero biases and no 1/√m factor (standard parameterisation), as the
target paper states for all its experiments (Sec. 4) and as Rathore et al. and PINNacle initialise.
The model is split once into a graph definition and a parameter pytree; every numerical routine
(training, NTK, Hessian-vector products) works on that pytree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jax
import jax.numpy as jnp
from flax import nnx

from pinnlab.errors import PinnlabError

Params = nnx.State


# Initialisations: "glorot" (the target paper's and every Table-2 source's: Glorot-normal weights, zero biases)
# and "lecun" (W ~ N(0, 1/fan_in), b ~ N(0, 1): Wang et al.'s PINNsNTK Poisson notebook, the standard-
# parameterisation twin of their NTK parameterisation — same functions at initialisation).
INITS = {
    "glorot": (nnx.initializers.glorot_normal(), nnx.initializers.zeros_init()),
    "lecun": (nnx.initializers.variance_scaling(1.0, "fan_in", "normal"), nnx.initializers.normal(1.0)),
}


class MLP(nnx.Module):
    """z ↦ W_L tanh(… tanh(W_1 s(z) + b_1) …) + b_L, with s an optional affine input scaling."""

    def __init__(self, in_dim: int, width: int, depth: int, *, rngs: nnx.Rngs,
                 input_shift=None, input_scale=None, init: str = "glorot"):
        dims = [in_dim] + [width] * depth + [1]
        kernel_init, bias_init = INITS[init]
        self.layers = nnx.List([
            nnx.Linear(a, b, kernel_init=kernel_init, bias_init=bias_init, rngs=rngs)
            for a, b in zip(dims[:-1], dims[1:])
        ])
        # Static tuples (part of the graph definition, not trained).
        self.input_shift = input_shift
        self.input_scale = input_scale

    def __call__(self, z: jax.Array) -> jax.Array:
        if self.input_shift is not None:
            z = (z - jnp.asarray(self.input_shift)) * jnp.asarray(self.input_scale)
        for layer in self.layers[:-1]:
            z = jnp.tanh(layer(z))
        return self.layers[-1](z)


@dataclass(frozen=True)
class Network:
    """A split network: ``apply(params, z)`` is the scalar output at one point ``z``."""

    graphdef: nnx.GraphDef
    width: int
    depth: int

    def apply(self, params: Params, z: jax.Array) -> jax.Array:
        return nnx.merge(self.graphdef, params)(z)[0]

    def bind(self, params: Params) -> Callable[[jax.Array], jax.Array]:
        """The scalar function z ↦ u(params, z), the form the PDE residuals take."""
        return lambda z: self.apply(params, z)


INPUT_NORMALIZATIONS = ("none", "box")


def make_network(in_dim: int, width: int, depth: int, seed: int, *, lower=None, upper=None,
                 input_normalization: str = "none", init: str = "glorot") -> tuple[Network, Params]:
    """Build the MLP from ``seed`` and split it. ``"box"`` maps the domain [lower, upper] to [−1, 1]^d."""
    if input_normalization not in INPUT_NORMALIZATIONS:
        raise PinnlabError(f"unknown input_normalization {input_normalization!r}; valid: {INPUT_NORMALIZATIONS}")
    if init not in INITS:
        raise PinnlabError(f"unknown network init {init!r}; valid: {sorted(INITS)}")
    if width < 1 or depth < 1:
        raise PinnlabError(f"network width and depth must be ≥ 1 (got width={width}, depth={depth})")
    shift = scale = None
    if input_normalization == "box":
        shift = tuple((lo + hi) / 2 for lo, hi in zip(lower, upper))
        scale = tuple(2 / (hi - lo) for lo, hi in zip(lower, upper))
    model = MLP(in_dim, width, depth, rngs=nnx.Rngs(seed), input_shift=shift, input_scale=scale, init=init)
    graphdef, params = nnx.split(model, nnx.Param)
    return Network(graphdef, width, depth), params


def count_parameters(params: Params) -> int:
    return sum(int(leaf.size) for leaf in jax.tree.leaves(params))
