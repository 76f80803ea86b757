"""Every claim we check, in report order: the target paper's (T) and its sources' (W22 = Wang–Yu–Perdikaris NTK
paper, W21 = Wang–Teng–Perdikaris gradient pathologies, H = the exact-Hessian paper, KG = the Klein–Gordon
write-up), from ../shared/reference/claims.md. Each family's checks, thresholds and records live in its module.
"""

from pinnlab.claims import hessian, kleingordon, newton, ntk, table2

CLAIMS = (*ntk.CLAIMS, *hessian.CLAIMS, *table2.CLAIMS, *kleingordon.CLAIMS, *newton.CLAIMS)
CLAIMS_BY_ID = {c.id: c for c in CLAIMS}
