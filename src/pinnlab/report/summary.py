"""The summary of a scale (rule ``summary_report``): the measured numbers a reader looks for first, each read from
the file the DAG wrote it in, with the commits, devices and software that made them.

``summary.md`` and ``summary.json`` hold Table 2 (median and min–max over seeds beside the paper's value, the
learned mark), the claims' verdicts, the Klein–Gordon errors, the exact-Newton outcome counts and the provenance:
what the Table-2 runs' ``summary.json`` record (git commit, device, versions) and the machine, date and command of
this summary. The README and docs link here instead of typing numbers (``tests/test_docs_numbers.py``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pinnlab import commands
from pinnlab.errors import PinnlabError
from pinnlab.machine import describe_machine
from pinnlab.markdown_page import html_page
from pinnlab.training.artifacts import read_summary

INPUTS = {"table2": "table2", "claims": "claims", "kleingordon": "kleingordon", "newton": "newton",
          "summaries": "table2"}
"""Each input of the rule and the target that makes it (for the message when one is missing)."""
NOT_COUNTS = ("problem", "method")
"""The columns of newton_outcomes.csv that name a row; its other integer columns count runs per outcome."""


def _paths(value) -> list[str]:
    """A named input as a list of paths (one path or Snakemake's list of them)."""
    return [] if value is None else [str(value)] if isinstance(value, str | Path) else [str(p) for p in value]


def check_inputs(job) -> None:
    """Every input exists, or one message that names the missing files and the target that makes them."""
    given = {name: _paths(job.input.get(name)) for name in INPUTS}
    missing = [(name, path) for name, paths in given.items() for path in paths if not Path(path).is_file()]
    missing += [(name, "(none given)") for name, paths in given.items() if not paths]
    if missing:
        scale = job.wildcards.scale
        raise PinnlabError("the summary needs inputs that do not exist: " + "; ".join(
            f"{name} {path} (make it with `{commands.target(INPUTS[name], scale=scale)}`)"
            for name, path in missing))


def _number(x):
    """A JSON number, or None for a missing or non-finite one (JSON has no NaN)."""
    return None if x is None or pd.isna(x) or not math.isfinite(float(x)) else float(x)


def table2_rows(table: pd.DataFrame, summary_paths, scale: str) -> list[dict]:
    """One row per cell of ``table2_l2re.csv``: its status, learned mark and paper value, with the median and
    min–max of the final L2RE over the seeds that did not diverge, from the runs' summaries."""
    runs: dict = {}
    for path in summary_paths:
        s = read_summary(path)
        runs.setdefault((s["pde"], s["method"]), []).append(s)
    rows = []
    for cell in table.itertuples():
        group = runs.get((cell.pde, cell.method), [])
        if len(group) != cell.n_seeds:  # the table and the runs would tell two stories
            raise PinnlabError(f"table2_l2re.csv counts {cell.n_seeds} seeds of {cell.pde}/{cell.method}, the run "
                               f"summaries given {len(group)}: regenerate Table 2 "
                               f"(`{commands.target('table2', scale=scale)}`)")
        ok = [s["final"]["l2re"] for s in group if s["status"] == "ok" and s["final"].get("l2re") is not None]
        rows.append({"pde": cell.pde, "method": cell.method, "status": cell.status, "control": bool(cell.control),
                     "learned": None if pd.isna(cell.learned) else bool(cell.learned), "paper": _number(cell.paper),
                     "median": float(np.median(ok)) if ok else None, "min": min(ok, default=None),
                     "max": max(ok, default=None), "n_seeds": len(group),
                     "n_diverged": sum(s["status"] == "diverged" for s in group)})
    return rows


def stability_text(value) -> str:
    """A claims.json ``stability`` in one line: its label (``{"label": ..., "left_out": [...]}``) or the text."""
    return str(value.get("label", value) if isinstance(value, dict) else value).replace("\n", " ")


def sensitivity_text(value) -> str:
    """A claims.json ``sensitivity`` in one line: each open choice and whether the verdict is robust to it."""
    if isinstance(value, list):
        return "; ".join(f"{c.get('choice', '?')}: {c.get('robust', '?')}" if isinstance(c, dict) else str(c)
                         for c in value) or "no open choice"
    return str(value).replace("\n", " ")


OPTIONAL_CLAIM_FIELDS = {"stability": stability_text, "sensitivity": sensitivity_text}
"""Fields of a claims.json row shown, in one line each, when the claims report writes them."""


def claim_rows(claims: dict) -> tuple[dict, list[dict]]:
    """The verdict counts (in the order verdicts first appear) and each claim's id, source and verdict, with its
    stability and sensitivity where the claims report gives them."""
    rows = [{"id": c["id"], "source": c["source"], "verdict": c["verdict"],
             **{k: text(c[k]) for k, text in OPTIONAL_CLAIM_FIELDS.items() if c.get(k) is not None}}
            for c in claims["claims"]]
    return dict(Counter(r["verdict"] for r in rows)), rows


KLEINGORDON_COLUMNS = ("model", "architecture", "annealing", "l2re_median", "l2re_best", "n_seeds", "n_diverged",
                      "paper_l2re", "writeup_final_l2re")
"""The columns of kleingordon_errors.csv the summary keeps (the losses, weights and times stay in its .md)."""


def kleingordon_rows(table: pd.DataFrame, scale: str) -> list[dict]:
    if "model" not in table or "l2re_median" not in table:
        raise PinnlabError("kleingordon_errors.csv has no model or l2re_median column: regenerate it "
                           f"(`{commands.target('kleingordon', scale=scale)}`)")
    rows = table[[c for c in KLEINGORDON_COLUMNS if c in table]].to_dict("records")
    return [{k: _number(v) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def newton_rows(table: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """The outcome classes (the integer columns) and, per problem and method, the runs that ended in each."""
    outcomes = [c for c in table.columns if c not in NOT_COUNTS and pd.api.types.is_integer_dtype(table[c])]
    return outcomes, [{"problem": r["problem"], "method": r["method"], **{o: int(r[o]) for o in outcomes}}
                      for r in table.to_dict("records")]


def runs_provenance(summary_paths) -> dict:
    """How many Table-2 runs each git commit, device and software set made."""
    summaries = [read_summary(p) for p in summary_paths]
    versions = [", ".join(f"{k} {v}" for k, v in sorted(s.get("versions", {}).items())) for s in summaries]
    return {"runs": len(summaries),
            "git_commits": dict(Counter(s.get("git_commit", "unknown") for s in summaries)),
            "devices": dict(Counter(s.get("device", "unknown") for s in summaries)),
            "versions": dict(Counter(versions))}


def build_summary(job) -> dict:
    check_inputs(job)
    i, scale = job.input, job.wildcards.scale
    counts, claims = claim_rows(json.loads(Path(i.claims).read_text()))
    outcomes, newton = newton_rows(pd.read_csv(i.newton))
    return {"scale": scale,
            "table2": table2_rows(pd.read_csv(i.table2), i.summaries, scale),
            "verdicts": counts, "claims": claims,
            "kleingordon": kleingordon_rows(pd.read_csv(i.kleingordon), scale),
            "newton_outcomes": outcomes, "newton": newton,
            "provenance": runs_provenance(i.summaries),
            "written": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": describe_machine(),
                        "command": commands.target("summary", scale=scale)}}


def _g(x) -> str:
    """Three significant digits, trailing zeros kept (0.999 98 reads 1.00, not 1); the JSON has every digit."""
    return "—" if x is None else f"{x:#.3g}"


def _table(head: list[str], rows: list[list]) -> list[str]:
    return (["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
            + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _spread(r: dict) -> list:
    if r["median"] is None:
        return [r["status"], "—"]
    return [_g(r["median"]), f"{_g(r['min'])} – {_g(r['max'])}"]


def _learned(r: dict) -> str:
    return "—" if r["learned"] is None or r["median"] is None else "yes" if r["learned"] else "**not learned**"


def _counted(counts: dict) -> str:
    return ", ".join(f"{key} ({n})" for key, n in counts.items())


def render_markdown(s: dict) -> str:
    scale, p, w = s["scale"], s["provenance"], s["written"]
    lines = [f"<!-- generated by pinnlab.report.summary ({w['command']}); do not edit -->",
             f"# Summary ({scale} scale)", "",
             "Every number below is read from a file of this scale's DAG (named in each section); nothing is typed.",
             "", "## Table 2: final L2RE", "",
             "From `table2_l2re.csv` and the runs' `summary.json`: median and min – max over the seeds that did not "
             "diverge; paper: the target paper's Table 2 (× left empty by the paper, — for our control columns). "
             "The learned mark is Table 2's (`pinnlab.report.table2`).", ""]
    lines += _table(["PDE", "method", "ours: median", "min – max", "seeds (diverged)", "paper", "learned"],
                    [[r["pde"], r["method"], *_spread(r), f"{r['n_seeds']} ({r['n_diverged']})",
                      "—" if r["control"] else "×" if r["paper"] is None else _g(r["paper"]), _learned(r)]
                     for r in s["table2"]])
    n = len(s["claims"])
    lines += ["", "## Claims", "", f"From `claims.json` (evidence and rules in `claims.md`), {n} claim"
              f"{'s' if n != 1 else ''}. Verdicts: {_counted(s['verdicts'])}.", ""]
    lines += [f"- `{c['id']}` ({c['source']}): **{c['verdict']}**"
              + "".join(f"; {k}: {c[k]}" for k in OPTIONAL_CLAIM_FIELDS if k in c) for c in s["claims"]]
    lines += ["", "## Klein–Gordon M1–M4: final L2RE", "",
              "From `kleingordon_errors.csv` (more columns in `kleingordon_errors.md`); paper: Wang, Teng, "
              "Perdikaris 2021 Table 5.", ""]
    lines += _table(["model", "median", "best", "seeds (diverged)", "paper"],
                    [[r["model"], _g(r.get("l2re_median")), _g(r.get("l2re_best")),
                      f"{r.get('n_seeds', '—')} ({r.get('n_diverged', '—')})", _g(r.get("paper_l2re"))]
                     for r in s["kleingordon"]])
    lines += ["", "## Exact Newton: runs per outcome", "", "From `newton_outcomes.csv` (losses and the classes' "
              "definitions in `newton_outcomes.md`).", ""]
    lines += _table(["problem", "method", *s["newton_outcomes"]],
                    [[r["problem"], r["method"], *(r[o] for o in s["newton_outcomes"])] for r in s["newton"]])
    m = w["machine"]
    lines += ["", "## Provenance", "",
              f"- Table-2 runs: {p['runs']}; git commits: {_counted(p['git_commits'])}",
              f"- devices: {_counted(p['devices'])}", f"- software: {_counted(p['versions'])}",
              f"- this summary: {w['date']} on {m['platform']}, {m['cpu']}, {m['cores']} cores",
              f"- regenerate: `{w['command']}`"]
    return "\n".join(lines) + "\n"


def summary_report(job) -> dict:
    """``summary.{md,json}`` from Table 2, the claims, the Klein–Gordon errors, the Newton outcomes and the
    Table-2 runs' summaries given as the job's inputs."""
    s = build_summary(job)
    Path(job.output.md).parent.mkdir(parents=True, exist_ok=True)
    Path(job.output.json).write_text(json.dumps(s, indent=2) + "\n")
    text = render_markdown(s)
    Path(job.output.md).write_text(text)
    Path(job.output.html).write_text(html_page(text, f"Summary ({job.wildcards.scale} scale)"))
    print(Path(job.output.md).read_text(), flush=True)
    return s
