"""Training methods: each turns a PDE protocol into a list of optimizer phases.

The columns of the target paper's Table 2, in its order. A method listed here but absent from
``BUILDERS`` is not implemented yet: tables show it as "pending", and asking to train it is an error.
"""

from __future__ import annotations

import optax

from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.train import OptaxPhase, Phase

TABLE2_METHODS = {
    "pinn_ntk": "PINN-NTK",
    "pcpinn": "PCPINN",
    "adam": "Adam",
    "adam_lbfgs": "Adam+L-BFGS",
    "gdnd": "GDND",
}


def adam_schedule(cfg: dict):
    """Adam's learning rate: constant, or lr · decay_rate^(step / decay_steps) (smooth, as the sources)."""
    lr, rate = float(cfg["lr"]), float(cfg.get("decay_rate", 1.0))
    if rate == 1.0:
        return lr
    return optax.exponential_decay(lr, transition_steps=int(cfg.get("decay_steps", 1000)), decay_rate=rate)


def _adam(protocol: dict) -> list[Phase]:
    return [Phase("adam", int(protocol["iterations"]), OptaxPhase(optax.adam(adam_schedule(protocol["adam"]))))]


BUILDERS = {"adam": _adam}


def build_phases(method: str, protocol: dict) -> list[Phase]:
    if method not in TABLE2_METHODS and method not in BUILDERS:
        raise unknown_name("method", method, set(TABLE2_METHODS) | set(BUILDERS))
    if method not in BUILDERS:
        raise PinnlabError(f"method {method!r} is not implemented yet; implemented: {sorted(BUILDERS)}")
    return BUILDERS[method](protocol)
