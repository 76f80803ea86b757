"""Klein–Gordon claims of the gradient-pathologies sources (KG write-up, W21).

Each check, its threshold and the claim's record side by side; ``CLAIMS`` lists them in report order.
"""

from __future__ import annotations

import numpy as np

from pinnlab.claims.artifacts import Artifacts, Inconclusive
from pinnlab.claims.base import KG_BUDGET, Claim, Evidence


def _kg(a: Artifacts):
    return a.table("kleingordon_errors").set_index("model")


KG_REDUCTION = 0.9  # the claim's 95.5 % less seed-to-seed spread


def check_kg_error(a: Artifacts) -> Evidence:
    kg = _kg(a)
    if not {"M1", "M2"} <= set(kg.index):
        raise Inconclusive("M1 and M2 were not both run")
    final = 1 - kg.l2re_median["M2"] / kg.l2re_median["M1"]
    best = 1 - kg.best_logged_l2re["M2"] / kg.best_logged_l2re["M1"]
    return Evidence(final >= KG_REDUCTION, f"1 − L2RE(M2)/L2RE(M1): {100 * final:.1f} % on final errors (median "
                    f"over seeds), {100 * best:.1f} % on best logged errors",
                    {"reduction_final": final, "reduction_best_logged": best})


ANNEALING_KG_ERROR = Claim(
    "annealing-kg-error", "KG",
    "gradient-weighted PINN lowers the relative L2 error by 95.5 % against the standard PINN on Klein–Gordon",
    ("kleingordon_errors",), "kleingordon_errors.md", check_kg_error,
    f"1 − L2RE(M2)/L2RE(M1) ≥ {KG_REDUCTION} on final errors",
    note="KG's 95.5 % compares best logged errors (M2 best at step 34,400); its final errors give 93.9 %.",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET)


BC_WEIGHT = (100.0, 500.0)  # "roughly 200–300×", read generously: the right order of magnitude
SETTLE = 0.8  # settled: first reaches 80 % of its plateau (the median over the last quarter of training); the
# annealed weights keep fluctuating by ±30 % on the plateau (KG's own log: λ_bcs 170–300), so "stays within a
# band of the final value" would only measure the last fluctuation


def _settle_step(steps, values) -> int:
    plateau = np.median(values[steps >= steps[0] + 0.75 * (steps[-1] - steps[0])])
    return int(steps[np.argmax(values >= SETTLE * plateau)])


def check_kg_weights(a: Artifacts) -> Evidence:
    c = a.table("kleingordon_curves")
    c = c[c.model == "M2"]
    if c.empty:
        raise Inconclusive("M2 was not run")
    per_seed = []
    for _, run in c.groupby("seed"):
        run = run.sort_values("step")
        steps = run.step.to_numpy()
        per_seed.append({"bcs": run.weight_bcs.iloc[-1], "ics": run.weight_ics.iloc[-1],
                         "settle_bcs": _settle_step(steps, run.weight_bcs.to_numpy()),
                         "settle_ics": _settle_step(steps, run.weight_ics.to_numpy())})
    med = {k: float(np.median([s[k] for s in per_seed])) for k in per_seed[0]}
    ok = (BC_WEIGHT[0] <= med["bcs"] <= BC_WEIGHT[1] and med["ics"] < med["bcs"]
          and med["settle_ics"] < med["settle_bcs"])
    return Evidence(ok, f"M2 final λ_bcs {med['bcs']:.0f}× and λ_ics {med['ics']:.0f}× their initial 1; reach "
                    f"{100 * SETTLE:.0f} % of their plateau at step {med['settle_ics']:.0f} (ics) and "
                    f"{med['settle_bcs']:.0f} (bcs); medians over seeds", med)


ANNEALING_KG_WEIGHTS = Claim(
    "annealing-kg-weights", "KG",
    "the boundary weight grows to roughly 200–300× its initial value; the IC weight grows less and settles "
    "earlier", ("kleingordon_curves",), "kleingordon_weights.png", check_kg_weights,
    f"M2's final λ_bcs in [{BC_WEIGHT[0]:.0f}, {BC_WEIGHT[1]:.0f}], λ_ics < λ_bcs, and λ_ics reaches "
    f"{100 * SETTLE:.0f} % of its plateau (median of the last quarter) before λ_bcs")


STALL_STEP, STALLED = 5000, 0.5  # stalled: the error after step 5,000 falls by less than half


def check_kg_stall(a: Artifacts) -> Evidence:
    c = a.table("kleingordon_curves")
    c = c[c.model == "M1"]
    if c.empty or c.step.max() < 2 * STALL_STEP:
        raise Inconclusive(f"M1 ran fewer than {2 * STALL_STEP} steps")
    ratios = []
    for _, run in c.groupby("seed"):
        at = run[run.step >= STALL_STEP].sort_values("step")
        ratios.append(at.l2re.iloc[-1] / at.l2re.iloc[0])
    r = float(np.median(ratios))
    return Evidence(r >= STALLED, f"M1: L2RE(end) / L2RE(step {STALL_STEP}) = {r:.3g} (median over seeds)",
                    {"ratio": r})


ANNEALING_KG_STALL = Claim(
    "annealing-kg-stall", "KG", "the standard PINN's error stalls after ≈5,000 steps",
    ("kleingordon_curves",), "kleingordon_losses.png", check_kg_stall,
    f"M1's L2RE at the end ≥ {STALLED} × its value at step {STALL_STEP}",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET)


OVERHEAD = 0.15  # the claimed 5–10 % plus 5 % for timing noise on a shared machine
ANNEALED = {"M2": "M1", "M4": "M3"}  # each annealed model and the same model without annealing


def check_kg_overhead(a: Artifacts) -> Evidence:
    """Decided on the timings of a job that ran alone (rule ``annealing_cost``), per annealed model: its best-of-
    repeats overhead and the median of the overheads of adjacent (interleaved) repeats must fall on one side of the
    threshold, else that model's difference is within timing noise. Reproduced if every annealed model is under it,
    not reproduced if one is clearly over it, else inconclusive."""
    t = a.table("kleingordon_annealing_cost")
    ms = t.pivot_table(index="repeat", columns="model", values="ms_per_step")
    pairs = [(m, base) for m, base in ANNEALED.items() if {m, base} <= set(ms.columns)]
    if not pairs:
        raise Inconclusive("no annealed model was timed beside its plain version (M2 with M1, M4 with M3)")
    texts, numbers, outcomes = [], {}, []
    for m, base in pairs:
        best = ms[m].min() / ms[base].min() - 1
        paired = ms[m] / ms[base] - 1
        mid = float(paired.median())
        under = {best <= OVERHEAD, mid <= OVERHEAD}
        outcomes.append(under.pop() if len(under) == 1 else None)
        texts.append(f"{m} / {base} − 1 = {100 * best:+.1f} % best of {len(paired)} repeats (adjacent pairs "
                     f"{100 * paired.min():+.1f} … {100 * mid:+.1f} … {100 * paired.max():+.1f} %"
                     + (", within timing noise of the threshold)" if outcomes[-1] is None else ")"))
        numbers |= {f"overhead_{m}": float(best), f"overhead_{m}_pairs_median": mid}
    text = "; ".join(texts) + f" ({t.device.iloc[0]}, timed alone)"
    if False in outcomes:
        return Evidence(False, text, numbers)
    if None in outcomes:
        raise Inconclusive(text)
    return Evidence(True, text, numbers)


ANNEALING_OVERHEAD = Claim(
    "annealing-overhead", "KG", "the adaptive weights cost ≈5–10 % extra time",
    ("kleingordon_annealing_cost",), "kleingordon_annealing_cost.csv", check_kg_overhead,
    f"ms per step M2 / M1 − 1 and M4 / M3 − 1 ≤ {OVERHEAD:.0%} (the claim's 10 % plus timing noise), timed in a "
    "job alone on the machine; a model decides where the best of its interleaved repeats and the median of adjacent "
    "pairs fall on the same side; any model clearly over it: not reproduced",
    note="W21's Table 5 reports the same 200 s for M1 and M2 on a laptop CPU.")


FACTOR_50 = 50.0


def check_kg_50_100x(a: Artifacts) -> Evidence:
    kg = _kg(a)
    if not {"M1", "M4"} <= set(kg.index):
        raise Inconclusive("M1 and M4 were not both run")
    f = kg.l2re_median["M1"] / kg.l2re_median["M4"]
    return Evidence(f >= FACTOR_50, f"L2RE(M1) / L2RE(M4) = {f:.3g} (median over seeds)", {"factor": f})


ANNEALING_50_100X = Claim(
    "annealing-50-100x", "W21, Sec. 3 / Table 5",
    "annealing and the modified architecture improve accuracy by a factor of 50–100",
    ("kleingordon_errors",), "kleingordon_errors.md", check_kg_50_100x,
    f"L2RE(M1) / L2RE(M4) ≥ {FACTOR_50:.0f} (median over seeds) on Klein–Gordon",
    note="W21 gives M4 2.81e-3 in Table 5 and 2.22e-3 in the caption of Fig. 13.",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET)


CLAIMS = (ANNEALING_KG_ERROR, ANNEALING_KG_WEIGHTS, ANNEALING_KG_STALL, ANNEALING_OVERHEAD, ANNEALING_50_100X)
