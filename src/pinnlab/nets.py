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

    def scaled(self, z: jax.Array) -> jax.Array:
        if self.input_shift is None:
            return z
        return (z - jnp.asarray(self.input_shift)) * jnp.asarray(self.input_scale)

    def __call__(self, z: jax.Array) -> jax.Array:
        z = self.scaled(z)
        for layer in self.layers[:-1]:
            z = jnp.tanh(layer(z))
        return self.layers[-1](z)


class ModifiedMLP(MLP):
    """The modified MLP of the gradient-pathologies paper (Wang, Teng, Perdikaris 2021, Sec. 2.6, model M3).

    Two encoders U = φ(X W_u + b_u) and V = φ(X W_v + b_v) mix into every hidden layer:
    Z_k = φ(H_k W_k + b_k), H_{k+1} = Z_k ⊙ U + (1 − Z_k) ⊙ V, with H_1 = X; output H_{L+1} W + b.
    This is the order of the public code (``Klein_Gordon_model_tf.py``); the paper writes (1 − Z) ⊙ U + Z ⊙ V,
    the same family with U and V swapped. As in that code the encoders' biases are drawn like weights
    (Glorot) and the main layers' biases start at zero.
    """

    def __init__(self, in_dim: int, width: int, depth: int, *, rngs: nnx.Rngs,
                 input_shift=None, input_scale=None, init: str = "glorot"):
        super().__init__(in_dim, width, depth, rngs=rngs, input_shift=input_shift, input_scale=input_scale,
                         init=init)
        self.encoders = nnx.List([
            nnx.Linear(in_dim, width, kernel_init=INITS[init][0], bias_init=_glorot_bias, rngs=rngs)
            for _ in range(2)
        ])

    def __call__(self, z: jax.Array) -> jax.Array:
        z = self.scaled(z)
        u, v = (jnp.tanh(enc(z)) for enc in self.encoders)
        h = z
        for layer in self.layers[:-1]:
            gate = jnp.tanh(layer(h))
            h = gate * u + (1 - gate) * v
        return self.layers[-1](h)


def _glorot_bias(key, shape, dtype=jnp.float32):
    """Glorot-normal draw for a bias, treated as a 1 × n matrix (the source's ``xavier_init([1, n])``)."""
    return nnx.initializers.glorot_normal()(key, (1, *shape), dtype)[0]


ARCHITECTURES = {"mlp": MLP, "modified_mlp": ModifiedMLP}


def weight_matrices(tree) -> list[jax.Array]:
    """The main layers' weight matrices of a parameter (or gradient) pytree, input to output: the statistics
    of learning-rate annealing and the gradient histograms use these (no biases, no encoders — as the source)."""
    layers = tree["layers"]
    return [layers[i]["kernel"].get_value() if hasattr(layers[i]["kernel"], "get_value") else layers[i]["kernel"]
            for i in sorted(layers.keys())]


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


# Input scalings z ↦ (z − shift) · scale. "box" maps [lower, upper] to [−1, 1]^d; "standardize" to zero mean and
# unit variance under the uniform distribution on the domain (scale √12 / (upper − lower)): the gradient-
# pathologies code standardises by the mean and std of 10⁵ uniform residual samples, of which these are the
# exact values.
INPUT_NORMALIZATIONS = {"none": None, "box": 2.0, "standardize": 12 ** 0.5}


def make_network(in_dim: int, width: int, depth: int, seed: int, *, lower=None, upper=None,
                 input_normalization: str = "none", init: str = "glorot",
                 architecture: str = "mlp") -> tuple[Network, Params]:
    """Build the network from ``seed`` and split it."""
    if input_normalization not in INPUT_NORMALIZATIONS:
        raise PinnlabError(f"unknown input_normalization {input_normalization!r}; "
                           f"valid: {sorted(INPUT_NORMALIZATIONS)}")
    if init not in INITS:
        raise PinnlabError(f"unknown network init {init!r}; valid: {sorted(INITS)}")
    if architecture not in ARCHITECTURES:
        raise PinnlabError(f"unknown network architecture {architecture!r}; valid: {sorted(ARCHITECTURES)}")
    if width < 1 or depth < 1:
        raise PinnlabError(f"network width and depth must be ≥ 1 (got width={width}, depth={depth})")
    shift = scale = None
    if (factor := INPUT_NORMALIZATIONS[input_normalization]) is not None:
        shift = tuple((lo + hi) / 2 for lo, hi in zip(lower, upper))
        scale = tuple(factor / (hi - lo) for lo, hi in zip(lower, upper))
    model = ARCHITECTURES[architecture](in_dim, width, depth, rngs=nnx.Rngs(seed), input_shift=shift,
                                        input_scale=scale, init=init)
    graphdef, params = nnx.split(model, nnx.Param)
    return Network(graphdef, width, depth), params


def network_for(pde, network: dict, seed: int) -> tuple[Network, Params]:
    """The network of a run's ``network`` config block (width, depth, input_normalization, architecture)."""
    return make_network(pde.dim, network["width"], network["depth"], seed, lower=pde.lower, upper=pde.upper,
                        input_normalization=network.get("input_normalization", "none"),
                        architecture=network.get("architecture", "mlp"))


def count_parameters(params: Params) -> int:
    return sum(int(leaf.size) for leaf in jax.tree.leaves(params))
