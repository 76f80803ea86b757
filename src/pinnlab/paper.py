"""Numbers reported by the papers, used only as the labelled "paper" column and as claim thresholds.

Table 2 of the target paper ("PINN Training via NTK: Insights and Limitations", p. 5); ``None`` is a
cell the paper left empty (×). Provenance, from the paper's caption and our reading of the sources
(../shared/reference/sources-landscape-pcpinn-pinnacle.md §0.2): PINN-NTK on Convection and Reaction
are the target's own runs; Convection/Reaction/Wave Adam, Adam+L-BFGS, GDND are Rathore et al.'s
Tables 1–2 (wave β = 5); Burgers/Heat2d-LT Adam, Adam+L-BFGS and Wave/Burgers/Heat2d-LT PINN-NTK are
PINNacle's (wave β = 4); Wave/Burgers/Heat2d-LT PCPINN are Liu et al.'s.
"""

TABLE2_PAPER = {
    "convection": {"pinn_ntk": 2.18e0, "pcpinn": None, "adam": 5.96e-2, "adam_lbfgs": 4.19e-3, "gdnd": 1.94e-3},
    "wave": {"pinn_ntk": 9.79e-2, "pcpinn": 1.28e-2, "adam": 3.49e-1, "adam_lbfgs": 5.52e-2, "gdnd": 1.27e-2},
    "reaction": {"pinn_ntk": 1.44e-2, "pcpinn": None, "adam": 2.12e-2, "adam_lbfgs": 1.92e-2, "gdnd": 9.92e-3},
    "burgers": {"pinn_ntk": 1.84e-2, "pcpinn": 1.42e-2, "adam": 1.45e-2, "adam_lbfgs": 1.33e-2, "gdnd": None},
    "heat2d_lt": {"pinn_ntk": 1.00e0, "pcpinn": 2.11e-1, "adam": 9.99e-1, "adam_lbfgs": 1.00e0, "gdnd": None},
}

TABLE2_PDES = tuple(TABLE2_PAPER)
"""The rows of the paper's Table 2, in its order."""
PAPER_METHODS = tuple(TABLE2_PAPER["convection"])
"""The paper's five Table-2 columns, in its order (our PCPINN+GDND column is not among them)."""

FIG1A_READING = {"block": "full", "points": "fixed", "norm": "spectral"}
"""The measurement of Fig. 1a closest to the target's text (Sec. 4): ΔK(t) := ‖K(0) − K(t)‖₂ / ‖K(0)‖₂ of the NTK K
(not one of its blocks), in the spectral norm ‖·‖₂, with K(0) and K(t) on the same "300 random sample-points" (a
ratio of kernels on different points measures the sampling as well as the training). Its network is config
(``fig1a.network``)."""

PDE_LABELS = {"convection": "Convection", "wave": "Wave", "reaction": "Reaction", "burgers": "Burgers",
              "heat2d_lt": "Heat2d-LT", "klein_gordon": "Klein–Gordon", "poisson1d": "Poisson-1D"}

KLEINGORDON_PAPER = {
    # Wang, Teng, Perdikaris (SIAM JSC 2021) Table 5: relative L2 error after 40,000 Adam iterations, 5 × 50.
    # (Its Fig. 13 caption gives 2.22e-3 for M4.)
    "table5": {"M1": 1.79e-1, "M2": 1.06e-2, "M3": 1.97e-2, "M4": 2.81e-3},
    # The JAX Klein–Gordon write-up (seed 1234, 40,001 iterations): final errors; its best logged M2 is 7.75e-3.
    "writeup_final": {"M1": 1.73e-1, "M2": 1.05e-2},
}
"""Klein–Gordon numbers of the sources (../shared/reference/pdes-kleingordon-poisson.md)."""
