"""A rough estimate of what the paper scale's Table-2 training costs on a CPU, from measured step times.

Cost model (an estimate, not a measurement): each run's optimizer iterations × the measured milliseconds of one
iteration on the 2-core CPU of the development sessions (float32, one job at a time), measured on 2026-11-23 with
``python benchmarks/step_times.py --scales paper`` (its table is in docs/benchmarks.md as of commit 8e7bd3b; the docs
hold no timings now, and a record written with ``--out`` should replace these constants). An Adam step is measured
per PDE at its paper protocol; an L-BFGS iteration and a Hessian-vector product are priced as multiples of an Adam step,
measured at width 200 on Convection; an NNCG iteration is ``cg_maxiter`` HVPs (the faithful CG tolerance, 1e-16,
is never met in float32) plus its share of the Nyström sketch (``rank`` HVPs every ``precond_every`` iterations).
PINN-NTK's wider network is priced by parameter count (the matmuls dominate); PCPINN is priced as the PINN loss
of the same network (not measured). Compilation, evaluation and the other jobs of the DAG are not counted.
"""

from __future__ import annotations

from pinnlab.catalog import CONTINUES
from pinnlab.config import network_of, scale_config
from pinnlab.pdes import make_pde

ADAM_MS_PAPER = {"convection": 69.0, "wave": 171.2, "reaction": 52.0, "burgers": 90.2, "heat2d_lt": 456.5}
"""ms per Adam step at each paper protocol (2-core CPU, 2026-11-23; docs/benchmarks.md at commit 8e7bd3b)."""
LBFGS_PER_ADAM = 140.6 / 76.5
"""An L-BFGS iteration (direction and zoom line search) in Adam steps (width 200; docs/benchmarks.md at 8e7bd3b)."""
HVP_PER_ADAM = 232.7 / 76.5
"""One forward-over-reverse Hessian-vector product in Adam steps (width 200; docs/benchmarks.md at 8e7bd3b)."""


def parameter_count(in_dim: int, network: dict) -> int:
    width, depth = network["width"], network["depth"]
    return (in_dim + 1) * width + (depth - 1) * (width + 1) * width + width + 1


def run_adam_steps(method: str, protocol: dict, in_dim: int) -> float:
    """One run of ``method`` in Adam-step equivalents of the protocol's network; a continued method (GDND)
    counts only its own phase."""
    iterations = protocol["iterations"]
    if method in ("adam", "pcpinn", "pcpinn_ilu0", "fit_uh"):  # fit_uh: an upper bound (no PDE derivatives)
        return iterations
    if method in ("adam_lbfgs", "pcpinn_adam_lbfgs", "pcpinn_ilu0_adam_lbfgs"):
        adam = protocol["lbfgs"]["adam_steps"]
        return adam + (iterations - adam) * LBFGS_PER_ADAM
    if method in CONTINUES:
        nncg = protocol["nncg"]
        return nncg["steps"] * (nncg["cg_maxiter"] + nncg["rank"] / nncg["precond_every"]) * HVP_PER_ADAM
    if method in ("pinn_ntk", "adam_ntk_schedule"):  # the control: PINN-NTK's network and budget
        wider = parameter_count(in_dim, network_of(method, protocol)) / parameter_count(in_dim, protocol["network"])
        return iterations * wider
    raise ValueError(f"no cost model for method {method!r}")


def paper_table2_cpu_hours(cfg: dict) -> tuple[int, dict[str, float]]:
    """(number of training jobs, estimated CPU hours per method) of Table 2 at the paper scale, whose protocols
    the step times were measured on."""
    sc = scale_config(cfg, "paper")
    methods = list(sc["table2"]["methods"])
    methods += [CONTINUES[m] for m in methods if m in CONTINUES and CONTINUES[m] not in methods]
    hours = dict.fromkeys(methods, 0.0)
    for pde in sc["table2"]["pdes"]:
        protocol, in_dim = sc["protocols"][pde], make_pde(pde).dim
        for method in methods:
            hours[method] += (len(sc["seeds"]) * run_adam_steps(method, protocol, in_dim)
                              * ADAM_MS_PAPER[pde] / 3.6e6)
    return len(methods) * len(sc["table2"]["pdes"]) * len(sc["seeds"]), hours
