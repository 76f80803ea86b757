"""Evaluate every claim on one scale's artifacts and write ``claims.md`` / ``claims.json``."""

from __future__ import annotations

import json
import math
from pathlib import Path

from pinnlab import commands
from pinnlab.claims.artifacts import ARTIFACTS, Artifacts, Inconclusive, MissingArtifact, record_of
from pinnlab.claims.registry import CLAIMS
from pinnlab.markdown_page import html_page

VERDICTS = ("reproduced", "not reproduced", "inconclusive at this scale", "not yet evaluated")


def _judge(claim, artifacts: Artifacts, **choice) -> dict:
    """The check's outcome and verdict on ``artifacts`` under ``choice`` (keywords of the claim's choices)."""
    try:
        evidence = claim.check(artifacts, **choice)
    except MissingArtifact as exc:
        return {"verdict": "not yet evaluated", "outcome": None, "evidence": f"missing artifact: {exc}"}
    except Inconclusive as exc:
        return {"verdict": "inconclusive at this scale", "outcome": None, "evidence": str(exc),
                "details": exc.details}
    row = {"outcome": "pass" if evidence.passed else "fail", "evidence": evidence.text, "details": evidence.details,
           "numbers": {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                       for k, v in evidence.numbers.items()}}
    if artifacts.scale not in claim.conclusive_at:
        return row | {"verdict": "inconclusive at this scale", "scale_reason": claim.scale_reasons[artifacts.scale]}
    return row | {"verdict": "reproduced" if evidence.passed else "not reproduced"}


def stability(claim, artifacts: Artifacts, verdict: str, outcome) -> dict:
    """The claim re-evaluated with each repeat (seed, timing repeat) of its artifacts left out in turn: *stable* if
    no verdict changes, *fragile* (with what changes) if one does."""
    units = artifacts.units(claim.artifacts)
    if not units:
        return {"label": "no repeats to leave out", "left_out": []}
    left_out = []
    for unit, value in units:
        r = _judge(claim, artifacts.without(unit, value))
        left_out.append({"unit": unit, "value": value, "verdict": r["verdict"], "outcome": r["outcome"]})
    changed = [x for x in left_out if x["verdict"] != verdict]
    moved = [x for x in left_out if x["outcome"] != outcome]
    unit_name = left_out[0]["unit"]
    if changed:
        label = "fragile: " + "; ".join(f"without {x['unit']} {x['value']}: {x['verdict']}" for x in changed)
    else:
        label = f"stable (each of {len(units)} {unit_name}s left out in turn)"
        if moved:  # the verdict holds (the scale cannot decide) but the check's outcome moves
            label += "; outcome moves: " + "; ".join(f"without {x['unit']} {x['value']}: {x['outcome'] or '—'}"
                                                    for x in moved)
    return {"label": label, "fragile": bool(changed), "left_out": left_out}


def sensitivity(claim, artifacts: Artifacts, verdict: str, outcome) -> list[dict]:
    """The verdict under each option of each of the claim's open choices (the others at their deciding option)."""
    out = []
    for choice in claim.choices:
        try:
            options, paper = choice.values(artifacts), choice.closest(artifacts)
        except (MissingArtifact, Inconclusive) as exc:
            out.append({"choice": choice.label, "why": choice.why, "options": [], "robust": f"not evaluated ({exc})"})
            continue
        rows = []
        for i, option in enumerate(options):
            r = {"verdict": verdict, "outcome": outcome} if i == 0 else _judge(claim, artifacts, **{choice.key: option})
            rows.append({"option": str(option), "decides": i == 0, "paper": option == paper, "verdict": r["verdict"],
                         "outcome": r["outcome"], "evidence": r.get("evidence", "")})
        out.append({"choice": choice.label, "why": choice.why, "options": rows, "robust": _robustness(rows)})
    return out


def _robustness(rows: list[dict]) -> str:
    """Whether the deciding option's outcome holds under the others (those that decide anything)."""
    head, others = rows[0]["outcome"], {r["outcome"] for r in rows[1:] if r["outcome"] is not None}
    if head is None:
        return "the deciding option decides nothing" + (" (another does)" if others else "")
    return "robust" if others <= {head} else "not robust"


def evaluate_claim(claim, artifacts: Artifacts) -> dict:
    row = {"id": claim.id, "source": claim.source, "statement": claim.statement, "threshold": claim.threshold,
           "note": claim.note, "evidence_file": claim.evidence_file, "artifacts": list(claim.artifacts),
           "target": ARTIFACTS[claim.artifacts[0]].target, "outcome": None, "evidence": "", "numbers": {}}
    row |= _judge(claim, artifacts)
    records = {r["record"]: r for name in claim.artifacts if (r := record_of(artifacts.path(name)))}
    if records:  # the run is absent here: the evidence comes from a kept record, and says so
        row["records"] = list(records.values())
        row["evidence"] = "; ".join(f"from record {r['record']} ({', '.join(r['devices'])}, recorded {r['recorded']}, "
                                    f"commit {', '.join(r['commits'])})" for r in records.values()) + ": " + row[
            "evidence"]
    row["stability"] = stability(claim, artifacts, row["verdict"], row["outcome"])
    row["sensitivity"] = sensitivity(claim, artifacts, row["verdict"], row["outcome"])
    return row


def evaluate_claims(paths: dict, scale: str, claims=CLAIMS) -> list[dict]:
    """Every claim's row at ``scale``; ``paths``: where each artifact of ``ARTIFACTS`` lies."""
    artifacts = Artifacts(paths, scale)
    return [evaluate_claim(c, artifacts) for c in claims]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sensitivity_summary(row: dict) -> str:
    return "; ".join(f"{c['choice']}: {c['robust']}" for c in row.get("sensitivity", [])) or "—"


def _sensitivity_table(choices: list[dict]) -> list[str]:
    lines = ["| choice | option | verdict under it | outcome | |", "| --- | --- | --- | --- | --- |"]
    for c in choices:
        for o in c["options"]:
            marks = ", ".join(m for m, on in (("decides", o["decides"]), ("closest to the paper", o["paper"])) if on)
            lines.append(f"| {c['choice']} | {o['option']} | {o['verdict']} | {o['outcome'] or '—'} | {marks} |")
    lines.append("")
    lines += [f"- {c['choice']}: **{c['robust']}**" + (f" — {c['why']}" if c["why"] else "") for c in choices]
    return lines


def render_markdown(rows: list[dict], scale: str) -> str:
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    fragile = [r["id"] for r in rows if r["stability"].get("fragile")]
    lines = [f"# Claims ({scale} scale)", "",
             "Each claim of the target paper (T) and its sources (W22 NTK paper, W21 gradient pathologies, "
             "H exact-Hessian paper, KG Klein–Gordon write-up), the evidence our artifacts give (with the seeds' "
             "spread), the pass rule, and the verdict. *Outcome* is the check's result on this scale's artifacts; the "
             "*verdict* is inconclusive where this scale's budget cannot decide the claim or where the seeds' spread "
             "straddles the threshold. *Stability*: the claim re-evaluated with each seed (or timing repeat) left out "
             "in turn — *fragile* if a verdict changes. *Sensitivity*: the verdict under each option of a choice the "
             "paper leaves open (details below).", "",
             "Verdicts: " + ", ".join(f"{v} {n}" for v, n in counts.items()) + "; fragile: "
             + (", ".join(f"`{f}`" for f in fragile) or "none"), "",
             "| claim | source | statement | evidence | rule | outcome | verdict | stability | sensitivity | "
             "regenerate |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| `{r['id']}` | {r['source']} | {_cell(r['statement'])} | "
                     f"{_cell(r['evidence'])} ([{r['evidence_file']}]({r['evidence_file']})) | "
                     f"{_cell(r['threshold'])} | {r['outcome'] or '—'} | **{r['verdict']}** | "
                     f"{_cell(r['stability']['label'])} | {_cell(_sensitivity_summary(r))} | "
                     f"`{commands.target(r['target'], 'claims', scale=scale)}` |")
    reasons = sorted({r["scale_reason"] for r in rows if "scale_reason" in r})
    if reasons:
        lines += ["", "Inconclusive at this scale because " + "; and ".join(reasons) + "."]
    notes = [r for r in rows if r["note"]]
    if notes:
        lines += ["", "## Contradictions inside the sources, and how we read the claims", ""]
        lines += [f"- `{r['id']}`: {r['note']}" for r in notes]
    lines += ["", "## Evidence in detail"]
    for r in rows:
        lines += ["", f"### `{r['id']}` — {r['verdict']}", "", f"Evidence: {r['evidence']}", ""]
        if r.get("details"):
            lines += [r["details"], ""]
        lines.append(f"Stability: {r['stability']['label']}.")
        if r["sensitivity"]:
            lines += ["", "Sensitivity to the open choices:", ""] + _sensitivity_table(r["sensitivity"])
    return "\n".join(lines) + "\n"


def write_claims(paths: dict, scale: str, out_md: Path | str, out_json: Path | str,
                 out_html: Path | str | None = None) -> list[dict]:
    rows = evaluate_claims(paths, scale)
    Path(out_md).parent.mkdir(parents=True, exist_ok=True)
    text = render_markdown(rows, scale)
    Path(out_md).write_text(text)
    if out_html is not None:
        Path(out_html).write_text(html_page(text, f"Claims ({scale} scale)"))
    Path(out_json).write_text(json.dumps({"scale": scale, "claims": rows}, indent=2) + "\n")
    return rows


def claims_report(job) -> list[dict]:
    """``claims.{md,json}`` from the artifacts given as the job's named inputs."""
    rows = write_claims({name: job.input.get(name) for name in ARTIFACTS}, job.wildcards.scale, job.output.md,
                        job.output.json, job.output.get("html"))
    print(Path(job.output.md).read_text(), flush=True)
    return rows
