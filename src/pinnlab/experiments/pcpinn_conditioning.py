"""The PCPINN conditioning table (rule ``pcpinn_conditioning``): κ(A), κ(P⁻¹A) and the finite-difference accuracy
floor per Table-2 PDE (``pinnlab.pcpinn.conditioning``). The PCPINN and PCPINN+GDND columns of Table 2 are trained
by ``pinnlab.experiments.table2``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pinnlab.config import protocol, scale_config
from pinnlab.evaluate import load_reference
from pinnlab.pcpinn.conditioning import conditioning_row
from pinnlab.pdes import pde_from_config

SHOWN = ("pde", "conditioning_grid", "cond_A", "cond_PinvA", "nnz_A", "nnz_LU", "grid", "unknowns", "fd_l2re")


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
        f"# PCPINN preconditioner ({scale} scale)\n\n2-norm condition numbers of the discrete system A (the Jacobian "
        "at the finite-difference solution for nonlinear PDEs) and of P⁻¹A with P = ILU(A), on the small grid; "
        "`fd_l2re`: L2RE of the finite-difference solution on the training grid — the floor of PCPINN's error.\n\n"
        + table[list(SHOWN)].to_markdown(index=False, floatfmt=".3g") + "\n")
    return table
