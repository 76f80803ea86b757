"""The PCPINN conditioning table (rule ``pcpinn_conditioning``): κ(A), κ(P⁻¹A), how near each preconditioner is to
an exact LU (‖P⁻¹Av − v‖/‖v‖) and the finite-difference accuracy floor per Table-2 PDE
(``pinnlab.pcpinn.conditioning``). The PCPINN columns of Table 2 and their controls are trained by
``pinnlab.experiments.table2``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.config import protocol, scale_config
from pinnlab.evaluate import load_reference
from pinnlab.pcpinn.conditioning import conditioning_row
from pinnlab.pdes import pde_from_config

SHOWN = ("pde", "conditioning_grid", "cond_A", "cond_PinvA", "cond_PinvA_ilu0", "nnz_A", "nnz_LU", "nnz_LU_ilu0",
         "grid", "unknowns", "relres", "relres_ilu0", "fd_residual", "fd_l2re")


def pcpinn_conditioning(job) -> pd.DataFrame:
    """``pcpinn_conditioning.{csv,md}``; the references are the job's inputs, in the order of the scale's PDEs."""
    cfg, scale = job.config, job.wildcards.scale
    rows = []
    for pde, reference in zip(scale_config(cfg, scale)["table2"]["pdes"], job.input.references):
        row = conditioning_row(pde_from_config(cfg, pde), protocol(cfg, scale, pde)["pcpinn"],
                               load_reference(reference))
        print(f"[pinnlab] {row}", flush=True)
        rows.append(row)
    table = pd.DataFrame(rows)
    Path(job.output.csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(job.output.csv, index=False)
    Path(job.output.md).write_text(
        f"# PCPINN preconditioner ({scale} scale)\n\n"
        "A: the discrete system (for a nonlinear PDE, its Jacobian J at the finite-difference solution u_h). "
        "P: the ILU that PCPINN factorises — columns without a suffix: the threshold ILU of the PCPINN and "
        "PCPINN+GDND columns (spilu, `drop_tol`, `fill_factor`); `_ilu0`: ILU(0), the no-fill factorisation of the "
        "`pcpinn_ilu0` controls. `cond_*`: 2-norm condition numbers on the small conditioning grid (dense SVDs); "
        "`nnz_*`: nonzeros on the training grid. `relres` = ‖P⁻¹Av − v‖/‖v‖ on the training grid for a standard "
        "normal v: near 0, P is an exact LU and L_PC ≈ mean (u_θ − u_h)², a supervised fit to u_h (the `fit_uh` "
        "control); above 1, P⁻¹ amplifies some errors instead. `fd_residual` = ‖F_h(u_h)‖/‖b‖: whether u_h solves "
        "the scheme (if not, Newton's method failed on that grid and the other columns of the row describe an "
        "arbitrary point); `fd_l2re`: L2RE of u_h against the reference — the floor of PCPINN's error.\n\n"
        + table[list(SHOWN)].to_markdown(index=False, floatfmt=".3g") + "\n")
    return table
