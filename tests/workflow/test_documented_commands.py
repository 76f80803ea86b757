"""Every command a reader is told to type works as printed (issue #17): the commands of README.md, docs/*.md and the
Snakefile's header, of the claims page and of pinnlab's messages, extracted from those texts (``documented``).

A Snakemake command runs as a dry run (``-n`` added; ``--lint`` and ``--unlock`` as they are; ``--report`` needs a
finished DAG and runs at smoke scale in tests/workflow/test_resume.py); the command-line interface runs for real at
the smoke scale (``quick`` → ``smoke``, so that it takes seconds); a benchmark's arguments go through its own parser
(``DIR`` → a temporary folder). A Snakemake command that runs jobs names its cores, or a profile that does.
"""

import json
import shlex
import subprocess
import sys

import pytest

from documented import REPO, commands_in, documented_commands, fresh_clone, run

DOCUMENTED = documented_commands()
SNAKEMAKE = sorted({c for _, c in DOCUMENTED if c.startswith("snakemake") and "--report" not in c})
CLI = [c for _, c in DOCUMENTED if c.startswith("python -m pinnlab")]
BENCHMARKS = sorted({c for _, c in DOCUMENTED if c.startswith("python benchmarks/")})


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    return fresh_clone(tmp_path_factory.mktemp("clone"))


def dry_run(cwd, command: str):
    """A Snakemake command as printed, planned but not run (``--lint`` and ``--unlock`` run: they make nothing)."""
    words = shlex.split(command)
    if not {"--lint", "--unlock"} & set(words):
        words.insert(1, "-n")
    out = run(cwd, shlex.join(words))
    assert out.returncode == 0, f"{command}\n{out.stdout[-2000:]}{out.stderr[-2000:]}"
    return out


def test_the_docs_print_commands_of_every_kind():
    assert len(SNAKEMAKE) >= 10 and len(CLI) >= 4 and len(BENCHMARKS) >= 5
    assert "snakemake --cores 1 data/reference/burgers.npz" in SNAKEMAKE  # scale-free: no --config needed


@pytest.mark.parametrize("command", SNAKEMAKE)
def test_documented_snakemake_command_plans(copy, command):
    if not {"--lint", "--unlock", "-n"} & set(command.split()):
        assert "--cores" in command or "--profile" in command, f"{command}: Snakemake runs no job without cores"
    dry_run(copy, command)


def test_documented_cli_commands_run_in_order_at_smoke_scale(copy, tmp_path):
    for command in CLI:
        smoke = command.replace("quick", "smoke").replace("/tmp/", f"{tmp_path}/")
        out = run(copy, smoke)
        assert out.returncode == 0, f"{command}\n{out.stdout[-2000:]}{out.stderr[-2000:]}"
    assert (copy / "figures/smoke/table2_l2re.md").exists()


PARSE_ONLY = """
import argparse, json, os, runpy, sys

class Parsed(Exception):
    pass

parse = argparse.ArgumentParser.parse_args
def parse_only(self, args=None, namespace=None):
    parse(self, args, namespace)
    raise Parsed
argparse.ArgumentParser.parse_args = parse_only
for argv in json.loads(sys.argv[1]):
    sys.argv = argv
    sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))  # as `python <script>` does
    try:
        runpy.run_path(argv[0], run_name="__main__")
    except Parsed:
        continue
    sys.exit(f"{argv} did not parse its arguments")
"""


def test_documented_benchmark_commands_parse(tmp_path):
    argvs = [shlex.split(c.replace("DIR", str(tmp_path)))[1:] for c in BENCHMARKS]
    out = subprocess.run([sys.executable, "-c", PARSE_ONLY, json.dumps(argvs)], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_the_claims_page_commands_plan(copy, tmp_path):
    from pinnlab.claims.artifacts import artifact_paths
    from pinnlab.claims.evaluate import write_claims
    from pinnlab.layout import Layout

    paths = artifact_paths(Layout(str(tmp_path / "results"), str(tmp_path / "figures")), "quick")
    write_claims(paths, "quick", tmp_path / "claims.md", tmp_path / "claims.json")  # every claim: not yet evaluated
    commands = commands_in((tmp_path / "claims.md").read_text())
    assert len(commands) >= 5
    for command in sorted(set(commands) - set(SNAKEMAKE)):  # those the docs print are planned above
        dry_run(copy, command)


def test_the_commands_of_pinnlab_s_messages_work(copy, monkeypatch):
    """A missing run, reference or table names the command that makes it; that command plans (or, for the CLI's
    reference, runs)."""
    from pinnlab.errors import PinnlabError
    from pinnlab.evaluate import load_reference
    from pinnlab.job import make_job
    from pinnlab.report.summary import check_inputs
    from pinnlab.training.artifacts import read_summary

    monkeypatch.chdir(copy)
    messages = []
    for attempt in (lambda: read_summary("results/smoke/table2/reaction/adam/w16/s0/summary.json"),
                    lambda: load_reference("data/reference/burgers.npz"),
                    lambda: check_inputs(make_job({}, wildcards={"scale": "smoke"}, input={
                        "table2": "figures/smoke/table2_l2re.csv", "claims": "figures/smoke/claims.json"}))):
        with pytest.raises(PinnlabError) as err:
            attempt()
        messages.append(str(err.value))
    commands = [c for m in messages for c in commands_in(m)]
    assert any("--force results/smoke/table2/reaction/adam/w16/s0/summary.json" in c for c in commands)
    for command in commands:
        if command.startswith("snakemake"):
            dry_run(copy, command)
    assert "python -m pinnlab reference --pde burgers --out data/reference/burgers.npz" in commands


@pytest.mark.skipif(any(d.platform == "gpu" for d in __import__("jax").devices()),
                    reason="on a GPU machine the paper scale would really start")
def test_the_gpu_refusal_suggests_commands_that_work(copy):
    out = run(copy, "snakemake --cores 1 table2 --config scale=paper")
    text = out.stdout + out.stderr
    assert out.returncode != 0 and "meant for a GPU" in text and not (copy / "results" / "paper").exists()
    suggested = [line.split(":  ", 1)[1].strip() for line in text.splitlines()
                 if line.strip().startswith(("Run the quick scale instead:", "or force it:"))]
    assert suggested == ["snakemake --cores 2 table2 --config scale=quick",
                         "snakemake --cores 2 table2 --config scale=paper allow_cpu_paper=true"]
    for command in suggested:
        dry_run(copy, command)
    # a scale-free target is never refused, whatever the default scale: it plans no GPU job
    out = run(copy, "snakemake --cores 1 data/reference/convection.npz")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
