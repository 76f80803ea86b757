"""Klein–Gordon claims of the gradient-pathologies sources (KG write-up, W21).

Each check, its threshold and the claim's record side by side; ``CLAIMS`` lists them in report order.
"""

from __future__ import annotations

import numpy as np

from pinnlab.claims.artifacts import Artifacts, Inconclusive
from pinnlab.claims.base import KG_BUDGET, Choice, Claim, Evidence
from pinnlab.claims.stats import every_seed, median_interval, median_ratio, side, span

ERROR = Choice("error", "error compared", ("final", "best logged"), paper="best logged",
               why="the sources compare the best logged error (KG: M2's best at step 34,400); the final error is "
               "what a run delivers")


def _errors(a: Artifacts, model: str, error: str) -> list[float]:
    """Per seed of ``model``: its final L2RE (the last logged step) or its lowest logged one."""
    c = a.table("kleingordon_curves")
    c = c[c.model == model].sort_values("step")
    if c.empty:
        raise Inconclusive(f"{model} was not run")
    per_seed = c.groupby("seed").l2re
    return list((per_seed.last() if error == "final" else per_seed.min()).to_numpy(float))


def _ratio_rule(a: Artifacts, numerator: str, denominator: str, at_most: float, error: str):
    """(passes, text): median L2RE(numerator)/L2RE(denominator) with its bootstrap interval against ``at_most``."""
    r, lo, hi = median_ratio(_errors(a, numerator, error), _errors(a, denominator, error))
    text = (f"{error} L2RE({numerator}) / L2RE({denominator}): ratio of medians {r:.3g} [{lo:.3g}, {hi:.3g}] over "
            f"seeds ({span(_errors(a, numerator, error))} vs {span(_errors(a, denominator, error))})")
    passed = side(lo, hi, at_most)
    if passed is None:
        raise Inconclusive(text + f": within seed noise of {at_most:g}")
    return passed, text, r


KG_REDUCTION = 0.9  # the claim's 95.5 % less seed-to-seed spread


def check_kg_error(a: Artifacts, error: str = "final") -> Evidence:
    passed, text, r = _ratio_rule(a, "M2", "M1", 1 - KG_REDUCTION, error)
    return Evidence(passed, f"1 − L2RE(M2)/L2RE(M1) = {100 * (1 - r):.1f} % ({text})", {"reduction": 1 - r})


ANNEALING_KG_ERROR = Claim(
    "annealing-kg-error", "KG",
    "gradient-weighted PINN lowers the relative L2 error by 95.5 % against the standard PINN on Klein–Gordon",
    ("kleingordon_curves",), "kleingordon_errors.md", check_kg_error,
    f"1 − L2RE(M2)/L2RE(M1) ≥ {KG_REDUCTION} on final errors: the 90 % bootstrap interval of the ratio of medians "
    f"over seeds wholly ≤ {1 - KG_REDUCTION:g} passes, wholly above fails, else inconclusive",
    note="KG's 95.5 % compares best logged errors (M2 best at step 34,400); its final errors give 93.9 %.",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET, choices=(ERROR,))


BC_WEIGHT = (100.0, 500.0)  # "roughly 200–300×", read generously: the right order of magnitude
SETTLE = 0.8  # settled: first reaches 80 % of its plateau (the median over the last quarter of training); the
# annealed weights keep fluctuating by ±30 % on the plateau (KG's own log: λ_bcs 170–300), so "stays within a
# band of the final value" would only measure the last fluctuation


def _settle_step(steps, values) -> int:
    plateau = np.median(values[steps >= steps[0] + 0.75 * (steps[-1] - steps[0])])
    return int(steps[np.argmax(values >= SETTLE * plateau)])


def _undecided(text: str, outcome: bool | None) -> bool:
    if outcome is None:
        raise Inconclusive(text + ": the seeds disagree")
    return outcome


def check_kg_weights(a: Artifacts) -> Evidence:
    c = a.table("kleingordon_curves")
    c = c[c.model == "M2"]
    if c.empty:
        raise Inconclusive("M2 was not run")
    per_seed = []
    for seed, run in c.groupby("seed"):
        run = run.sort_values("step")
        steps = run.step.to_numpy()
        s = {"seed": seed, "bcs": run.weight_bcs.iloc[-1], "ics": run.weight_ics.iloc[-1],
             "settle_bcs": _settle_step(steps, run.weight_bcs.to_numpy()),
             "settle_ics": _settle_step(steps, run.weight_ics.to_numpy())}
        s["ok"] = (BC_WEIGHT[0] <= s["bcs"] <= BC_WEIGHT[1] and s["ics"] < s["bcs"]
                   and s["settle_ics"] < s["settle_bcs"])
        per_seed.append(s)
    text = "M2, per seed: " + "; ".join(
        f"seed {s['seed']}: λ_bcs {s['bcs']:.0f}×, λ_ics {s['ics']:.0f}× their initial 1, {100 * SETTLE:.0f} % of the "
        f"plateau at step {s['settle_ics']:.0f} (ics) and {s['settle_bcs']:.0f} (bcs)" for s in per_seed)
    passed = _undecided(text, every_seed(s["ok"] for s in per_seed))
    return Evidence(passed, text, {f"seed{s['seed']}_{k}": float(s[k]) for s in per_seed
                                   for k in ("bcs", "ics", "settle_bcs", "settle_ics")})


ANNEALING_KG_WEIGHTS = Claim(
    "annealing-kg-weights", "KG",
    "the boundary weight grows to roughly 200–300× its initial value; the IC weight grows less and settles "
    "earlier", ("kleingordon_curves",), "kleingordon_weights.png", check_kg_weights,
    f"M2's final λ_bcs in [{BC_WEIGHT[0]:.0f}, {BC_WEIGHT[1]:.0f}], λ_ics < λ_bcs, and λ_ics reaches "
    f"{100 * SETTLE:.0f} % of its plateau (median of the last quarter) before λ_bcs — for every seed passes, for "
    "none fails, else inconclusive")


STALL_STEP, STALLED = 5000, 0.5  # stalled: the error after step 5,000 falls by less than half


def check_kg_stall(a: Artifacts) -> Evidence:
    c = a.table("kleingordon_curves")
    c = c[c.model == "M1"]
    if c.empty or c.step.max() < 2 * STALL_STEP:
        raise Inconclusive(f"M1 ran fewer than {2 * STALL_STEP} steps")
    ratios = {}
    for seed, run in c.groupby("seed"):
        at = run[run.step >= STALL_STEP].sort_values("step")
        ratios[seed] = float(at.l2re.iloc[-1] / at.l2re.iloc[0])
    text = f"M1: L2RE(end) / L2RE(step {STALL_STEP}) per seed: " + ", ".join(f"{r:.3g}" for r in ratios.values())
    passed = _undecided(text, every_seed(r >= STALLED for r in ratios.values()))
    return Evidence(passed, text, {f"ratio_seed{s}": r for s, r in ratios.items()})


ANNEALING_KG_STALL = Claim(
    "annealing-kg-stall", "KG", "the standard PINN's error stalls after ≈5,000 steps",
    ("kleingordon_curves",), "kleingordon_losses.png", check_kg_stall,
    f"M1's L2RE at the end ≥ {STALLED} × its value at step {STALL_STEP} for every seed passes, for none fails, "
    "else inconclusive",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET)


OVERHEAD = 0.15  # the claimed 5–10 % plus 5 % for timing noise on a shared machine
# A neighbour on a 2-core machine moved the M4/M3 overhead across OVERHEAD between runs (pinnlab.host_load): a
# timing whose rounds had other processes keeping more than a quarter of a core busy (median) decides nothing
CONTENDED_CORES = 0.25
ANNEALED = {"M2": "M1", "M4": "M3"}  # each annealed model and the same model without annealing
ARCHITECTURES = {"both": ("M2", "M4"), "plain MLP": ("M2",)}
ARCHITECTURE = Choice("architecture", "architectures timed", tuple(ARCHITECTURES), paper="plain MLP",
                      why="the write-up times the plain network (M2 against M1); the claim is about the adaptive "
                      "weights, so the modified MLP (M4 against M3) is held to it too")


def check_kg_overhead(a: Artifacts, architecture: str = "both") -> Evidence:
    """Decided on the timings of a job that had the machine to itself (rule ``annealing_cost``, which measures what
    other processes ran beside it; a contended timing is inconclusive), per annealed model: the overheads of
    adjacent (interleaved) repeats, whose median's bootstrap interval must lie on one side of the threshold, else that
    model's difference is within timing noise. Reproduced if every annealed model is under it, not reproduced if one
    is clearly over it, else inconclusive. The best-of-repeats overhead is shown beside."""
    t = a.table("kleingordon_annealing_cost")
    others = t.others_busy_cores.median() if "others_busy_cores" in t else np.nan
    if np.isnan(others):
        raise Inconclusive("the timing does not say whether other processes ran beside it (no others_busy_cores: "
                           "made before pinnlab measured it, or on a machine without Linux's /proc/stat)")
    if others > CONTENDED_CORES:
        raise Inconclusive(f"timed beside other work: other processes kept a median {others:.2f} cores busy during "
                           f"its repeats (at most {CONTENDED_CORES} decides); re-run the rule annealing_cost with the "
                           "machine to itself")
    ms = t.pivot_table(index="repeat", columns="model", values="ms_per_step")
    pairs = [(m, base) for m, base in ANNEALED.items()
             if m in ARCHITECTURES[architecture] and {m, base} <= set(ms.columns)]
    if not pairs:
        raise Inconclusive("no annealed model was timed beside its plain version (M2 with M1, M4 with M3)")
    texts, numbers, outcomes = [], {}, []
    for m, base in pairs:
        best = ms[m].min() / ms[base].min() - 1
        paired = (ms[m] / ms[base] - 1).to_numpy()
        mid, lo, hi = median_interval(paired)
        outcomes.append(side(lo, hi, OVERHEAD))
        texts.append(f"{m} / {base} − 1: median of {len(paired)} adjacent repeats {100 * mid:+.1f} % "
                     f"[{100 * lo:+.1f}, {100 * hi:+.1f}] (best of repeats {100 * best:+.1f} %)"
                     + (": within timing noise of the threshold" if outcomes[-1] is None else ""))
        numbers |= {f"overhead_{m}": float(mid), f"overhead_{m}_lo": lo, f"overhead_{m}_hi": hi,
                    f"overhead_{m}_best": float(best)}
    text = "; ".join(texts) + f" ({t.device.iloc[0]}; other processes kept a median {others:.2f} cores busy)"
    if False in outcomes:
        return Evidence(False, text, numbers)
    if None in outcomes:
        raise Inconclusive(text)
    return Evidence(True, text, numbers)


ANNEALING_OVERHEAD = Claim(
    "annealing-overhead", "KG", "the adaptive weights cost ≈5–10 % extra time",
    ("kleingordon_annealing_cost",), "kleingordon_annealing_cost.csv", check_kg_overhead,
    f"ms per step M2 / M1 − 1 and M4 / M3 − 1 ≤ {OVERHEAD:.0%} (the claim's 10 % plus timing noise), timed in a "
    "job alone on the machine: the median over adjacent interleaved repeats, decided where its 90 % bootstrap "
    "interval lies on one side; any model clearly over it: not reproduced. A timing during which other processes "
    f"kept more than {CONTENDED_CORES} cores busy (median over its rounds) decides nothing",
    note="W21's Table 5 reports the same 200 s for M1 and M2 on a laptop CPU.", choices=(ARCHITECTURE,))


FACTOR_50 = 50.0


def check_kg_50_100x(a: Artifacts, error: str = "final") -> Evidence:
    passed, text, r = _ratio_rule(a, "M4", "M1", 1 / FACTOR_50, error)
    return Evidence(passed, f"L2RE(M1) / L2RE(M4) = {1 / r:.3g} ({text})", {"factor": 1 / r})


ANNEALING_50_100X = Claim(
    "annealing-50-100x", "W21, Sec. 3 / Table 5",
    "annealing and the modified architecture improve accuracy by a factor of 50–100",
    ("kleingordon_curves",), "kleingordon_errors.md", check_kg_50_100x,
    f"L2RE(M1) / L2RE(M4) ≥ {FACTOR_50:.0f} on Klein–Gordon, final errors: the 90 % bootstrap interval of the ratio "
    f"of medians L2RE(M4)/L2RE(M1) over seeds wholly ≤ 1/{FACTOR_50:.0f} passes, wholly above fails, else "
    "inconclusive",
    note="W21 gives M4 2.81e-3 in Table 5 and 2.22e-3 in the caption of Fig. 13.",
    conclusive_at=("paper",), scale_reasons=KG_BUDGET, choices=(ERROR,))


CLAIMS = (ANNEALING_KG_ERROR, ANNEALING_KG_WEIGHTS, ANNEALING_KG_STALL, ANNEALING_OVERHEAD, ANNEALING_50_100X)
