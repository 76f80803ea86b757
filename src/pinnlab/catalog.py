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

PDE_CONSTANTS = {"convection": ("beta",), "reaction": ("rho",), "wave": ("beta", "c_squared"), "burgers": ("nu",),
                 "heat2d_lt": ("diffusivity", "amplitude", "k", "m1", "m2", "ic_mx", "ic_my", "t_end"),
                 "klein_gordon": ("alpha", "beta", "gamma", "k"), "poisson1d": ("a",)}
"""The physical constants of each PDE (the fields of its class in ``pinnlab.pdes``, checked by a test): the config's
``pde_constants`` may override these and no other, so a typo is refused before any job starts."""

LBFGS_METHODS = ("adam_lbfgs", "pcpinn_adam_lbfgs", "pcpinn_ilu0_adam_lbfgs")
"""Methods whose run switches from Adam to L-BFGS after ``lbfgs.adam_steps`` (and the runs GDND continues)."""

METHODS = {
    "pinn_ntk": "PINN-NTK",
    "pcpinn": "PCPINN",
    "adam": "Adam",
    "adam_lbfgs": "Adam+L-BFGS",
    "gdnd": "GDND",
    "pcpinn_gdnd": "PCPINN+GDND",
}
"""The Table-2 columns in the target paper's order (and ours, PCPINN+GDND), with their labels."""

PCPINN_PRECONDITIONER = {"pcpinn": "ilut", "pcpinn_adam_lbfgs": "ilut", "pcpinn_gdnd": "ilut",
                         "pcpinn_ilu0": "ilu0", "pcpinn_ilu0_adam_lbfgs": "ilu0", "pcpinn_ilu0_gdnd": "ilu0"}
"""PCPINN method -> its ILU (``pinnlab.pcpinn.preconditioner.PRECONDITIONERS``): the paper's columns use ``ilut``,
near-exact at the config's drop tolerance 1e-6 and fill factor 30; the ``_ilu0`` controls the no-fill ILU(0)."""

PCPINN_METHODS = tuple(PCPINN_PRECONDITIONER)
"""Methods trained on the PCPINN loss; the ``_adam_lbfgs`` ones are not columns, only the runs that PCPINN+GDND
continues."""

FD_GRID_METHODS = (*PCPINN_METHODS, "fit_uh")
"""Methods whose loss lives on the finite-difference grid (``pcpinn.grid``), one seed at a time."""

CONTINUES = {"gdnd": "adam_lbfgs", "pcpinn_gdnd": "pcpinn_adam_lbfgs", "pcpinn_ilu0_gdnd": "pcpinn_ilu0_adam_lbfgs"}
"""GDND = Adam → L-BFGS → NNCG: its run starts from the final state of the run it names."""

CONTROLS: dict[str, str] = {
    "adam_ntk_schedule": "Adam, PINN-NTK's net & lr, λ = 1 (control)",
    "pcpinn_ilu0": "PCPINN, ILU(0) (control)",
    "pcpinn_ilu0_gdnd": "PCPINN+GDND, ILU(0) (control)",
    "fit_uh": "Fit to u_h (control)",
}
"""Control columns of Table 2 (method -> label), shown after the paper's columns: runs that separate what a
method changes (its weighting, its preconditioner) from what comes with it (network, schedule, a near-exact
solve). Not the paper's; the claims that compare methods read them."""

SETUP_OF = {"adam_ntk_schedule": "pinn_ntk"}
"""Control -> the method whose protocol block gives it its network and Adam schedule (``config.network_of``),
without what that method adds: Adam on PINN-NTK's network and schedule with unit weights, no NTK weighting."""

TRAINED_METHODS = (*METHODS, *CONTROLS, "pcpinn_adam_lbfgs", "pcpinn_ilu0_adam_lbfgs")
"""Every method a Table-2 run directory may hold."""

SEEDS_TOGETHER_METHODS = tuple(m for m in TRAINED_METHODS if m not in FD_GRID_METHODS)
"""Methods whose seeds can train as one vmapped program (PCPINN's loss solves on the host, and ``fit_uh``'s
objective is a host-built one too: one seed at a time)."""

KLEINGORDON_MODELS = {"M1": ("mlp", False), "M2": ("mlp", True), "M3": ("modified_mlp", False),
                      "M4": ("modified_mlp", True)}
"""Klein–Gordon models of Wang, Teng and Perdikaris (2021): model -> (architecture, learning-rate annealing)."""

HESSIAN_DENSITY_METHODS = ("pinn_ntk", "adam", "adam_lbfgs", "gdnd")
"""Table-2 methods whose trained parameters the Hessian densities may be taken at (the PINN loss, not L_PC)."""

NETWORK_INITS = ("glorot", "lecun")
"""Network initialisations (``pinnlab.nets``): the target's Glorot, and Wang et al.'s LeCun-normal weights with
N(0, 1) biases."""

INPUT_NORMALIZATIONS = {"none": "unscaled inputs", "box": "inputs mapped to [-1, 1]",
                        "standardize": "standardised inputs"}
"""Input scalings of ``pinnlab.nets`` (name -> label for tables and figures)."""
