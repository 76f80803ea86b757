"""The PDE zoo. ``make_pde(name, **constants)`` builds one; ``PDE_CLASSES`` lists them."""

from __future__ import annotations

import dataclasses

from pinnlab.errors import PinnlabError, unknown_name
from pinnlab.pdes.base import PDE, Condition, Face, partial, tensor_grid
from pinnlab.pdes.burgers import Burgers
from pinnlab.pdes.convection import Convection
from pinnlab.pdes.heat2d_lt import Heat2dLT
from pinnlab.pdes.klein_gordon import KleinGordon
from pinnlab.pdes.poisson1d import Poisson1D
from pinnlab.pdes.reaction import Reaction
from pinnlab.pdes.wave import Wave

PDE_CLASSES: dict[str, type[PDE]] = {
    cls.name: cls for cls in (Convection, Reaction, Wave, Burgers, Heat2dLT, KleinGordon, Poisson1D)
}

def make_pde(name: str, **constants) -> PDE:
    """The PDE ``name`` with its physical constants (defaults: the papers' values) overridden."""
    if name not in PDE_CLASSES:
        raise unknown_name("PDE", name, PDE_CLASSES)
    cls = PDE_CLASSES[name]
    fields = {f.name for f in dataclasses.fields(cls)}
    unknown = set(constants) - fields
    if unknown:
        raise PinnlabError(f"PDE {name!r} has no constant(s) {sorted(unknown)}; its constants are {sorted(fields)}")
    return cls(**constants)


def pde_from_config(cfg: dict, name: str) -> PDE:
    """The PDE ``name`` with the config's constants (``pde_constants``; defaults: the papers' values)."""
    return make_pde(name, **cfg.get("pde_constants", {}).get(name, {}))


__all__ = ["PDE", "Condition", "Face", "partial", "tensor_grid", "make_pde", "pde_from_config", "PDE_CLASSES"]
