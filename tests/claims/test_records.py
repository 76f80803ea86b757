"""The paper scale on a machine without a GPU (issue #15): claims read a kept record where the DAG has not made an
artifact, and say so; an artifact neither made nor recorded leaves its claims "not yet evaluated" with the command
that makes it on a GPU."""

import json

from claims.test_claims import GOOD, write
from pinnlab.claims import evaluate_claims
from pinnlab.claims.artifacts import ARTIFACTS, record_of, record_path


def keep_as_record(tmp_path, name, df) -> str:
    """``df`` kept as the record of artifact ``name`` (a provenance.json beside it, as records/collect.py writes)."""
    path = tmp_path / record_path(name, "paper")
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    (path.parent / "provenance.json").write_text(json.dumps({
        "name": ARTIFACTS[name].record, "scale": "paper", "recorded": "2026-12-02T10:49:34+00:00",
        "software": [{"device": "cpu:cpu", "git_commit": "a1c0a3ad144f83f5762c735396175fbd9e29a9a3"}]}))
    return str(path)


def test_a_claim_from_a_record_names_it(tmp_path):
    paths = write(tmp_path / "dag", GOOD)
    paths["newton_runs"] = keep_as_record(tmp_path, "newton_runs", GOOD["newton_runs"])
    row = {r["id"]: r for r in evaluate_claims(paths, "paper")}["exact-newton-fails"]
    assert row["verdict"] == "reproduced"
    assert row["evidence"].startswith("from record paper/newton (cpu:cpu, recorded 2026-12-02, commit a1c0a3ad144f)")
    assert record_of(paths["fig1b_wave"]) is None  # a DAG file is no record


def test_an_artifact_neither_made_nor_recorded_names_the_gpu_command(tmp_path):
    paths = write(tmp_path, GOOD) | {"fig1a": None, "fig1a_runs": None}
    row = {r["id"]: r for r in evaluate_claims(paths, "paper")}["ntk-nonlinear-drift"]
    assert row["verdict"] == "not yet evaluated"
    assert "needs a GPU at the paper scale" in row["evidence"]
    assert "snakemake --profile profiles/gpu fig1a --config scale=paper" in row["evidence"]
