"""Probe: malformed inputs a user may type, each answered with a message and a non-zero exit, never a traceback.

    python tests/probe_malformed_inputs.py        (a few minutes: one Snakemake dry run or CLI call per case)

Not a test (it takes minutes; the fast tests check each kind of answer): a reviewer's probe of issue #17, run in a
fresh clone in a temporary folder. A case passes when the command exits non-zero, prints no Python traceback, and
prints pinnlab's one-line error (``pinnlab: error:``) or one of Snakemake's own messages that the README explains
("No rule to produce", cores not given). Three mistakes are answered by Snakemake while it reads its own arguments,
before the workflow is loaded, so no code of this repository can answer them: a ``--configfile`` that is missing or
not YAML, and a ``--config`` entry without a name; they are counted apart (the README says how to read them).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from documented import fresh_clone, run  # noqa: E402

SNAKEMAKE_MESSAGES = ("No rule to produce", "cores have to be specified", "Error parsing number of cores")
BEFORE_THE_WORKFLOW = ("Config file is not valid JSON or YAML", "No such file or directory: 'missing.yaml'",
                       "Invalid config definition")
"""Snakemake's answers while it parses its own command line (its cli.py and configfile.py)."""
DRY = "snakemake -n --cores 1"
SMOKE = "--config scale=smoke"
CLI = "python -m pinnlab"

CASES = [
    # --config overrides: validated when the Snakefile is read, before any job
    f"{DRY} all --config scale=huge",
    f"{DRY} all --config scale=",
    f"{DRY} all --config scale=SMOKE",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{seeds: []}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{seeds: [-1]}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{seeds: [x]}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{iterations: -5}}}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{iterations: abc}}}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{lbfgs: {{adam_steps: 100}}}}}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{checkpoint_every: 15}}}}}}}}'",
    f"{DRY} all {SMOKE} 'pde_constants={{wave: {{gamma: 3}}}}'",
    f"{DRY} all {SMOKE} 'pde_constants={{maxwell: {{c: 1}}}}'",
    f"{DRY} all {SMOKE} 'pde_constants={{wave: {{beta: fast}}}}'",
    f"{DRY} all {SMOKE} loss_convention=sum",
    f"{DRY} all {SMOKE} matmul_precision=ultra",
    f"{DRY} all {SMOKE} allow_cpu_paper=maybe",
    f"{DRY} all {SMOKE} typo_key=1",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{table2: {{methods: [sgd]}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{table2: {{pdes: [maxwell]}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{table2: {{pdes: [poisson1d]}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{network: {{width: x}}}}}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{fig1a: {{widths: []}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{kleingordon: {{models: [M9]}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{hessian_density: {{methods: [pcpinn]}}}}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{nncg_comparison: {{pde: maxwell}}}}}}'",
    f"{DRY} all {SMOKE} 'jax={{memory_fraction: 2}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{protocols: {{wave: {{log_every: 0}}}}}}}}'",
    f"{DRY} all {SMOKE} "  # a sweep entry with the headline's network
    "'scales={smoke: {fig1a: {sweep: [{network: {depth: 1, input_normalization: standardize}}]}}}'",
    f"{DRY} all {SMOKE} 'scales={{smoke: {{seeds: [0'",
    f"{DRY} all --config =smoke",
    f"{DRY} all --configfile missing.yaml",
    f"{DRY} all --configfile bad.yaml",
    f"{DRY} all --configfile unknown_key.yaml",
    # targets and paths: refused before any job
    f"{DRY} results/smoke/table2/wave/adamw/w16/s0/summary.json",
    f"{DRY} results/smoke/table2/wave/adam/w17/s0/summary.json",
    f"{DRY} results/smoke/table2/maxwell/adam/w16/s0/summary.json",
    f"{DRY} results/huge/table2/wave/adam/w16/s0/summary.json",
    f"{DRY} results/smoke/table2/wave/adam/w16/sx/summary.json",
    f"{DRY} results/smoke/fig1a/d9-zzz/wave/adam/w16/s0/summary.json",
    f"{DRY} results/smoke/kleingordon/klein_gordon/M9/w16/s0/summary.json",
    f"{DRY} data/reference/maxwell.npz",
    f"{DRY} tabel2",
    f"{DRY} figures/huge/table2_l2re.md",
    f"{DRY} figures/smoke/nonexistent.png",
    # Snakemake's own arguments
    f"snakemake all {SMOKE}",
    f"snakemake --cores x all {SMOKE}",
    # the command line
    f"{CLI}",
    f"{CLI} frobnicate",
    f"{CLI} train --scale huge --pde wave --method adam",
    f"{CLI} train --scale smoke --pde maxwell --method adam",
    f"{CLI} train --scale smoke --pde wave --method sgd",
    f"{CLI} train --scale smoke --pde wave --method adam --seed x",
    f"{CLI} train --scale smoke --pde burgers --method adam",
    f"{CLI} reference --pde maxwell",
    f"{CLI} reference",
    f"{CLI} table2 --scale smoke --out t.csv",
    f"{CLI} table2 --scale smoke --out t.csv results/smoke/table2/wave/adam/w16/s0/summary.json",
    f"{CLI} table2 --scale smoke --out t.csv config/config.yaml",
    f"{CLI} table2 --scale smoke --out t.csv 'results/none/*/summary.json'",
    f"{CLI} table2 --scale huge --out t.csv results/smoke/table2/wave/adam/w16/s0/summary.json",
    f"{CLI} table2 --scale smoke --out Snakefile/t.csv run/summary.json",
    f"{CLI} --config missing.yaml check-config",
    f"{CLI} --config bad.yaml check-config",
    f"{CLI} --config empty.yaml check-config",
    f"{CLI} --config unknown_key.yaml check-config",
]


def answered(out) -> str | None:
    """Why the answer is not clean ("snakemake" for an answer of Snakemake's own argument parsing), or None."""
    text = out.stdout + out.stderr
    if out.returncode == 0:
        return "exit status 0"
    if any(m in text for m in BEFORE_THE_WORKFLOW):
        return "snakemake"
    if "Traceback" in text or 'File "' in text:
        return "a traceback"
    if "pinnlab: error:" not in text and not any(m in text for m in SNAKEMAKE_MESSAGES) and "usage:" not in text:
        return "no message"
    return None


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        clone = fresh_clone(Path(tmp))
        (clone / "bad.yaml").write_text("scale: [unclosed\n")
        (clone / "empty.yaml").write_text("")
        (clone / "unknown_key.yaml").write_text((clone / "config/config.yaml").read_text() + "typo_key: 1\n")
        (clone / "run").mkdir()
        (clone / "run/summary.json").write_text('{"status": "ok", "scale": "smoke", "pde": "wave", "sha256": {}}')
        verdicts = []
        for command in CASES:
            verdicts.append(why := answered(out := run(clone, command)))
            first = next((line for line in (out.stderr + out.stdout).splitlines()
                          if "error" in line.lower() or "No rule" in line or "usage" in line), "")
            mark = {None: "ok  ", "snakemake": "own "}.get(why, "FAIL")
            detail = why if why not in (None, "snakemake") else first.strip()[:150]
            print(f"{mark} {command}\n     {detail}", flush=True)
        clean, own = verdicts.count(None), verdicts.count("snakemake")
        print(f"\n{clean} of {len(CASES)} malformed inputs answered without a traceback; {own} by Snakemake's own "
              f"argument parsing, before the workflow is read; {len(CASES) - clean - own} not answered")
        return 1 if len(CASES) - clean - own else 0


if __name__ == "__main__":
    sys.exit(main())
