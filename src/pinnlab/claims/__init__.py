"""Claims of the target and source papers, each with the evidence our artifacts give and a verdict."""

from pinnlab.claims.evaluate import VERDICTS, evaluate_claims, write_claims
from pinnlab.claims.registry import CLAIMS, CLAIMS_BY_ID

__all__ = ["CLAIMS", "CLAIMS_BY_ID", "VERDICTS", "evaluate_claims", "write_claims"]
