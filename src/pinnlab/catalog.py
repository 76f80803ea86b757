"""The names that the config, the DAG, the training code and the report share, each listed once (JAX-free).

The config schema takes its enumerations from here (``pinnlab.config.schema``), the Snakefile its wildcard
constraints, the training code its method groups. The paper's own facts (its Table 2 rows and columns, its
numbers) are in ``pinnlab.paper``.
"""

from __future__ import annotations

SCALES = ("smoke", "quick", "paper")
"""smoke: CI, proves every code path; quick: a CPU, every artifact at reduced size; paper: the papers' settings."""

PDES = ("convection", "reaction", "wave", "burgers", "heat2d_lt", "klein_gordon", "poisson1d")
"""Every PDE of ``pinnlab.pdes`` (its registry is checked against this list)."""

METHODS = {
    "pinn_ntk": "PINN-NTK",
    "pcpinn": "PCPINN",
    "adam": "Adam",
    "adam_lbfgs": "Adam+L-BFGS",
    "gdnd": "GDND",
    "pcpinn_gdnd": "PCPINN+GDND",
}
"""The Table-2 columns in the target paper's order (and ours, PCPINN+GDND), with their labels."""

PCPINN_METHODS = ("pcpinn", "pcpinn_adam_lbfgs", "pcpinn_gdnd")
"""Methods trained on the PCPINN loss; ``pcpinn_adam_lbfgs`` is not a column, only the run PCPINN+GDND continues."""

CONTINUES = {"gdnd": "adam_lbfgs", "pcpinn_gdnd": "pcpinn_adam_lbfgs"}
"""GDND = Adam → L-BFGS → NNCG: its run starts from the final state of the run it names."""

TRAINED_METHODS = (*METHODS, "pcpinn_adam_lbfgs")
"""Every method a Table-2 run directory may hold."""

SEEDS_TOGETHER_METHODS = tuple(m for m in TRAINED_METHODS if m not in PCPINN_METHODS)
"""Methods whose seeds can train as one vmapped program (PCPINN's loss solves on the host, one seed at a time)."""

KLEINGORDON_MODELS = {"M1": ("mlp", False), "M2": ("mlp", True), "M3": ("modified_mlp", False),
                      "M4": ("modified_mlp", True)}
"""Klein–Gordon models of Wang, Teng and Perdikaris (2021): model -> (architecture, learning-rate annealing)."""

HESSIAN_DENSITY_METHODS = ("pinn_ntk", "adam", "adam_lbfgs", "gdnd")
"""Table-2 methods whose trained parameters the Hessian densities may be taken at (the PINN loss, not L_PC)."""

NETWORK_INITS = ("glorot", "lecun")
"""Network initialisations (``pinnlab.nets``): the target's Glorot, and Wang et al.'s LeCun-normal weights with
N(0, 1) biases."""
