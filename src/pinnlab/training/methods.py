"""Training methods: each turns a PDE protocol into a list of optimizer phases.

The method names are ``pinnlab.catalog``'s; a Table-2 column absent from ``BUILDERS`` is not implemented yet:
tables show it as "pending", and asking to train it is an error.
"""

from __future__ import annotations

import optax

from pinnlab.catalog import TRAINED_METHODS
from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.optim.lbfgs import LBFGS
from pinnlab.optim.nncg import NNCG, NNCGSettings
from pinnlab.training.run import OptaxPhase, Phase


def adam_schedule(cfg: dict):
    """Adam's learning rate: constant, or lr · decay_rate^(step / decay_steps) (smooth, as the sources)."""
    lr, rate = float(cfg["lr"]), float(cfg["decay_rate"])
    if rate == 1.0:
        return lr
    return optax.exponential_decay(lr, transition_steps=int(cfg["decay_steps"]), decay_rate=rate)


def _adam_phase(protocol: dict, steps: int) -> Phase:
    return Phase("adam", steps, OptaxPhase(optax.adam(adam_schedule(protocol["adam"]))))


def _pinn_ntk_adam(protocol: dict) -> OptaxPhase:
    """Adam with PINN-NTK's schedule: its block's, else the protocol's."""
    return OptaxPhase(optax.adam(adam_schedule(protocol["pinn_ntk"].get("adam") or protocol["adam"])))


def _pinn_ntk(protocol: dict) -> list[Phase]:
    """Adam on the loss weighted by Algorithm 1 (λ_i = Tr K / Tr K_ii every ``pinn_ntk.every`` steps)."""
    cfg = protocol["pinn_ntk"]
    weighting = {"scheme": "ntk", "every": cfg["every"], "points": cfg["points"]}
    return [Phase("adam", int(protocol["iterations"]), _pinn_ntk_adam(protocol), weighting=weighting)]


def _adam_ntk_schedule(protocol: dict) -> list[Phase]:
    """Control of PINN-NTK: the same Adam schedule and budget (its network comes from ``config.network_of``),
    unit weights λ_i = 1 — what PINN-NTK gains over it is the NTK weighting's alone."""
    return [Phase("adam", int(protocol["iterations"]), _pinn_ntk_adam(protocol))]


def _adam(protocol: dict) -> list[Phase]:
    return [_adam_phase(protocol, int(protocol["iterations"]))]


def _adam_lbfgs(protocol: dict) -> list[Phase]:
    """Adam for ``lbfgs.adam_steps``, then L-BFGS to ``iterations`` (Rathore et al.'s Adam+L-BFGS)."""
    cfg, total = protocol["lbfgs"], int(protocol["iterations"])
    if not 0 <= cfg["adam_steps"] < total:
        raise PinnlabError(f"lbfgs.adam_steps ({cfg['adam_steps']}) must be below iterations ({total})")
    lbfgs = Phase("lbfgs", total - cfg["adam_steps"], LBFGS(cfg["memory"], cfg["max_linesearch_steps"]))
    return ([_adam_phase(protocol, cfg["adam_steps"])] if cfg["adam_steps"] else []) + [lbfgs]


def _gdnd(protocol: dict) -> list[Phase]:
    """The NNCG phase of GDND; the run continues the Adam+L-BFGS run of the same seed (``CONTINUES``)."""
    cfg = dict(protocol["nncg"])
    return [Phase("nncg", int(cfg.pop("steps")), NNCG(NNCGSettings(**cfg)))]


BUILDERS = {"adam": _adam, "adam_lbfgs": _adam_lbfgs, "gdnd": _gdnd, "pinn_ntk": _pinn_ntk,
            "adam_ntk_schedule": _adam_ntk_schedule,  # a control (``catalog.CONTROLS``)
            # PCPINN: the same optimizers on the preconditioned loss L_PC (``catalog.PCPINN_METHODS``)
            "pcpinn": _adam, "pcpinn_adam_lbfgs": _adam_lbfgs, "pcpinn_gdnd": _gdnd,
            # controls of PCPINN (``catalog.CONTROLS``): the same schedules with an ILU(0) preconditioner, and Adam
            # on mean (u_θ − u_h)² at the grid's nodes (``pinnlab.pcpinn.fit``)
            "pcpinn_ilu0": _adam, "pcpinn_ilu0_adam_lbfgs": _adam_lbfgs, "pcpinn_ilu0_gdnd": _gdnd,
            "fit_uh": _adam}


def build_phases(method: str, protocol: dict) -> list[Phase]:
    if method not in TRAINED_METHODS:
        raise unknown_name("method", method, TRAINED_METHODS)
    if method not in BUILDERS:
        raise PinnlabError(f"method {method!r} is not implemented yet; implemented: {sorted(BUILDERS)}")
    return BUILDERS[method](protocol)
