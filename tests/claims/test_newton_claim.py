"""exact-newton-fails: decided by the share of initialisations that end at a minimum (loss far below the trivial
loss), exact Newton against the comparison methods; synthetic per-run tables as ``newton_study`` writes them."""

import pandas as pd
import pytest

from pinnlab.claims import newton as claim
from pinnlab.claims.artifacts import Inconclusive, MissingArtifact

PROBLEMS = ("poisson1d, a=1", "convection, beta=5")
EMPTY = dict.fromkeys(claim.OUTCOMES, 0)


def outcome_rows(problem, newton: dict, comparison: dict, seeds: int = 10) -> list[dict]:
    """Rows of ``runs.csv`` (one per method and seed) for one problem: exact Newton's outcomes ``newton`` and
    Gauss–Newton's ``comparison`` (outcome -> runs; the rest of the seeds not converged), damped Newton and L-BFGS
    never minimal."""
    losses = {"minimum": 1e-7, "trivial solution": 48.7}

    def rows(method, counts, loss):
        outcomes = [o for o, n in counts.items() for _ in range(n)]
        outcomes += ["not converged"] * (seeds - len(outcomes))
        return [{"problem": problem, "method": method, "seed": seed, "outcome": o,
                 "final_loss": losses.get(o, loss), "trivial_loss_affine": 48.7} for seed, o in enumerate(outcomes)]
    return (rows("newton", newton, 48.7) + rows("damped_newton", {}, 1.0) + rows("gauss_newton", comparison, 1e-7)
            + rows("lbfgs", {}, 1e-3))


def newton_table(minima: int, seeds: int = 10, comparison_minima: int | None = None) -> pd.DataFrame:
    """Exact Newton at a minimum from ``minima`` seeds and at the trivial solution from the others; Gauss–Newton at a
    minimum from every seed (or ``comparison_minima``)."""
    comparison = {"minimum": seeds if comparison_minima is None else comparison_minima}
    return pd.DataFrame([r for p in PROBLEMS for r in outcome_rows(p, {"minimum": minima,
                                                                       "trivial solution": seeds - minima},
                                                                  comparison, seeds)])


class Tables:
    scale = "quick"

    def __init__(self, table):
        self.newton = table

    def table(self, name):
        return self.newton


def check(table):
    return claim.check_newton_fails(Tables(table))


def test_the_claim_repeats_the_study_s_classes_and_threshold():
    from pinnlab.experiments.newton import OUTCOMES, STATIONARY_NOT_MINIMUM, StudySettings

    assert claim.OUTCOMES == OUTCOMES and claim.STATIONARY_NOT_MINIMUM == STATIONARY_NOT_MINIMUM
    assert claim.MINIMUM_FRACTION == StudySettings.minimum_fraction
    assert f"{claim.MINIMUM_FRACTION:g}" in claim.EXACT_NEWTON_FAILS.threshold


def test_newton_at_the_trivial_solution_where_gauss_newton_minimises_reproduces():
    evidence = check(newton_table(minima=0))
    assert evidence.passed
    assert "exact Newton 10 trivial solution of 10" in evidence.text and "gauss_newton reaches a minimum from 100%" \
        in evidence.text
    assert evidence.numbers["poisson1d, a=1: newton minimum share"] == 0
    assert evidence.numbers["poisson1d, a=1: newton stationary non-minimum share"] == 1


@pytest.mark.parametrize(("minima", "passed"), [(2, True), (3, False), (10, False)])
def test_newton_must_fail_from_80_percent_of_the_starts(minima, passed):
    assert check(newton_table(minima=minima)).passed is passed


def test_failing_on_one_problem_only_is_not_reproduced():
    table = pd.DataFrame(outcome_rows(PROBLEMS[0], {"trivial solution": 10}, {"minimum": 10})
                         + outcome_rows(PROBLEMS[1], {"minimum": 9, "saddle": 1}, {"minimum": 10}))
    assert not check(table).passed


def test_a_problem_no_method_minimises_does_not_decide():
    # where Gauss–Newton also fails, Newton's failure says nothing: that problem is left out, the other decides
    table = pd.DataFrame(outcome_rows(PROBLEMS[0], {"trivial solution": 10}, {"minimum": 10})
                         + outcome_rows(PROBLEMS[1], {"minimum": 9}, {"minimum": 7}))
    evidence = check(table)
    assert evidence.passed and "undecided: convection, beta=5 (no comparison method" in evidence.text
    with pytest.raises(Inconclusive, match="no comparison method"):
        check(newton_table(minima=0, comparison_minima=7))


def test_too_few_seeds_is_inconclusive():
    with pytest.raises(Inconclusive, match="4 seeds"):
        check(newton_table(minima=0, seeds=4))


def test_a_table_made_before_the_loss_aware_classes_is_missing():
    old = newton_table(minima=0).drop(columns=["trivial_loss_affine"])
    with pytest.raises(MissingArtifact, match="loss-aware"):
        check(old)
