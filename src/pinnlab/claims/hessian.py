"""Hessian claims (Fig. 1b): the target's Thm 3 and Sec. 4.

Each check, its threshold and the claim's record side by side; ``CLAIMS`` lists them in report order.
"""

from __future__ import annotations

from pinnlab.claims.artifacts import Artifacts, Inconclusive
from pinnlab.claims.base import Claim, Evidence, ratio_widest_narrowest

NOT_VANISHED = 0.1  # "does not vanish": the widest width keeps at least a tenth of the narrowest's norm


def _hessian_ratio(a: Artifacts, pde: str):
    h = a.table("fig1b")
    sub = h[h.pde == pde]
    if sub.empty:
        raise Inconclusive(f"Fig. 1b has no {pde} norms at this scale")
    return ratio_widest_narrowest(sub, "hessian_norm")


def check_hessian_deg2(a: Artifacts) -> Evidence:
    ratios = {p: _hessian_ratio(a, p) for p in ("reaction", "burgers")}
    text = "; ".join(f"{p}: ‖∇²L_r‖(w{hi}) / ‖∇²L_r‖(w{lo}) = {r:.3g}" for p, (r, lo, hi) in ratios.items())
    return Evidence(all(r >= NOT_VANISHED for r, _, _ in ratios.values()), text,
                    {p: r for p, (r, _, _) in ratios.items()})


HESSIAN_DEG2_NONVANISHING = Claim(
    "hessian-deg2-nonvanishing", "T, Thm 3 / Fig. 1b",
    "for degree-2 polynomial PDEs (Reaction, Burgers) the residual-loss Hessian does not vanish with width",
    ("fig1b",), "fig1b_hessian_norm.png", check_hessian_deg2,
    f"‖∇²L_r‖ at the widest width ≥ {NOT_VANISHED} × at the narrowest (mean over seeds)")


def check_hessian_linear(a: Artifacts) -> Evidence:
    conv, lo, hi = _hessian_ratio(a, "convection")
    numbers = {"convection": conv}
    text = f"convection: ‖∇²L_r‖(w{hi}) / ‖∇²L_r‖(w{lo}) = {conv:.3g}"
    try:
        numbers["wave"] = _hessian_ratio(a, "wave")[0]
        text += f"; wave: {numbers['wave']:.3g}"
    except Inconclusive:
        pass
    return Evidence(conv >= NOT_VANISHED, text, numbers)


HESSIAN_LINEAR_NOT_NECESSARILY_VANISHING = Claim(
    "hessian-linear-not-necessarily-vanishing", "T, Sec. 4 on Fig. 1b",
    "“the Hessian does not necessarily vanish in the linear regime”",
    ("fig1b",), "fig1b_hessian_norm.png", check_hessian_linear,
    f"Convection: ‖∇²L_r‖ at the widest width ≥ {NOT_VANISHED} × at the narrowest (Wave's shown beside)")


CLAIMS = (HESSIAN_DEG2_NONVANISHING, HESSIAN_LINEAR_NOT_NECESSARILY_VANISHING)
