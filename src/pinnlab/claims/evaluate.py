"""Evaluate every claim on one scale's artifacts and write ``claims.md`` / ``claims.json``."""

from __future__ import annotations

import json
import math
from pathlib import Path

from pinnlab.claims.artifacts import ARTIFACTS, Artifacts, Inconclusive, MissingArtifact
from pinnlab.claims.registry import CLAIMS

VERDICTS = ("reproduced", "not reproduced", "inconclusive at this scale", "not yet evaluated")


def evaluate_claim(claim, artifacts: Artifacts) -> dict:
    row = {"id": claim.id, "source": claim.source, "statement": claim.statement, "threshold": claim.threshold,
           "note": claim.note, "evidence_file": claim.evidence_file, "artifacts": list(claim.artifacts),
           "target": ARTIFACTS[claim.artifacts[0]][2], "outcome": None, "evidence": "", "numbers": {}}
    try:
        evidence = claim.check(artifacts)
    except MissingArtifact as exc:
        return row | {"verdict": "not yet evaluated", "evidence": f"missing artifact: {exc}"}
    except Inconclusive as exc:
        return row | {"verdict": "inconclusive at this scale", "evidence": str(exc), "details": exc.details}
    row |= {"outcome": "pass" if evidence.passed else "fail", "evidence": evidence.text, "details": evidence.details,
            "numbers": {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for k, v in evidence.numbers.items()}}
    if artifacts.scale not in claim.conclusive_at:
        return row | {"verdict": "inconclusive at this scale", "scale_reason": claim.scale_reasons[artifacts.scale]}
    return row | {"verdict": "reproduced" if evidence.passed else "not reproduced"}


def evaluate_claims(paths: dict, scale: str, claims=CLAIMS) -> list[dict]:
    """Every claim's row at ``scale``; ``paths``: where each artifact of ``ARTIFACTS`` lies."""
    artifacts = Artifacts(paths, scale)
    return [evaluate_claim(c, artifacts) for c in claims]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(rows: list[dict], scale: str) -> str:
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines = [f"# Claims ({scale} scale)", "",
             "Each claim of the target paper (T) and its sources (W22 NTK paper, W21 gradient pathologies, "
             "H exact-Hessian paper, KG Klein–Gordon write-up), the evidence our artifacts give, the pass rule, and "
             "the verdict. *Outcome* is the check's result on this scale's artifacts; the *verdict* is "
             "inconclusive where this scale's budget cannot decide the claim.", "",
             "Verdicts: " + ", ".join(f"{v} {n}" for v, n in counts.items()), "",
             "| claim | source | statement | evidence | rule | outcome | verdict | regenerate |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| `{r['id']}` | {r['source']} | {_cell(r['statement'])} | "
                     f"{_cell(r['evidence'])} ([{r['evidence_file']}]({r['evidence_file']})) | "
                     f"{_cell(r['threshold'])} | {r['outcome'] or '—'} | **{r['verdict']}** | "
                     f"`snakemake --cores 2 {r['target']} --config scale={scale}` |")
    reasons = sorted({r["scale_reason"] for r in rows if "scale_reason" in r})
    if reasons:
        lines += ["", "Inconclusive at this scale because " + "; and ".join(reasons) + "."]
    notes = [r for r in rows if r["note"]]
    if notes:
        lines += ["", "## Contradictions inside the sources, and how we read the claims", ""]
        lines += [f"- `{r['id']}`: {r['note']}" for r in notes]
    detailed = [r for r in rows if r.get("details")]
    if detailed:
        lines += ["", "## Evidence in detail"]
        for r in detailed:
            lines += ["", f"### `{r['id']}`", "", r["details"]]
    return "\n".join(lines) + "\n"


def write_claims(paths: dict, scale: str, out_md: Path | str, out_json: Path | str) -> list[dict]:
    rows = evaluate_claims(paths, scale)
    Path(out_md).parent.mkdir(parents=True, exist_ok=True)
    Path(out_md).write_text(render_markdown(rows, scale))
    Path(out_json).write_text(json.dumps({"scale": scale, "claims": rows}, indent=2) + "\n")
    return rows


def claims_report(job) -> list[dict]:
    """``claims.{md,json}`` from the artifacts given as the job's named inputs."""
    rows = write_claims({name: job.input.get(name) for name in ARTIFACTS}, job.wildcards.scale, job.output.md,
                        job.output.json)
    print(Path(job.output.md).read_text(), flush=True)
    return rows
