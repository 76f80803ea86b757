"""The import graph: imports run one way, and a rule's code inputs hold every module its job can run.

The DAG-level checks (each job's loaded modules against its rule's inputs; an edit re-running exactly the rules
that import the edited module) are in tests/workflow/test_dag.py, after the smoke DAG has run.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pinnlab import import_graph
from pinnlab.import_graph import closure, code_inputs, direct_imports

PACKAGE = import_graph.ROOT
MODULES = sorted(
    ".".join(("pinnlab", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
)

# Layers, bottom to top: a module imports only modules of its own layer or below.
FOUNDATION = ("errors", "catalog", "paper", "config", "layout", "job", "import_graph", "machine", "commands",
              "integrity", "stale_lock", "markdown_page", "host_memory", "host_load", "allocator")
NUMERICS = ("pdes", "nets", "sampling", "losses", "evaluate", "curvature", "optim", "diagnostics", "reference",
            "pcpinn")
LAYERS = {**dict.fromkeys(FOUNDATION, 0), **dict.fromkeys(NUMERICS, 1), "training": 2, "report": 3, "claims": 3,
          "verify": 3, "experiments": 4, "cpu_estimate": 4, "cli": 5, "__main__": 5}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else 0  # the package's own __init__ imports nothing


def test_every_module_has_a_layer():
    assert {m.split(".")[1] for m in MODULES if "." in m} <= set(LAYERS)


@pytest.mark.parametrize("module", MODULES)
def test_imports_run_one_way(module):
    upward = sorted(d for d in direct_imports(module) if layer(d) > layer(module))
    assert not upward, f"{module} (layer {layer(module)}) imports {upward} from a layer above"


def test_report_and_claims_never_import_an_experiment():
    for module in MODULES:
        if module.startswith(("pinnlab.report", "pinnlab.claims")):
            assert not [m for m in closure(module) if m.startswith("pinnlab.experiments")], module


def test_the_foundation_and_the_rule_files_need_no_jax():
    """The Snakefile imports these when it parses: they must not pull in JAX (or anything numeric)."""
    code = ("import sys; import pinnlab.layout, pinnlab.config, pinnlab.catalog, pinnlab.import_graph, "
            "pinnlab.claims.artifacts, pinnlab.commands, pinnlab.stale_lock; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jax', 'flax')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_graph_counts_imports_inside_functions_and_packages_of_modules():
    # report.table2 imports training.methods at the top; experiments.table2 imports pcpinn.loss inside a function
    assert "pinnlab.training.methods" in direct_imports("pinnlab.report.table2")
    assert "pinnlab.pcpinn.loss" in direct_imports("pinnlab.experiments.table2")
    assert {"pinnlab", "pinnlab.experiments"} <= closure("pinnlab.experiments.table2")
    files = code_inputs("pinnlab.config")
    assert any(f.endswith("config.schema.yaml") for f in files)  # the schema decides defaults: it is code too


JOB_MODULES = [m for m in MODULES if m.startswith(("pinnlab.experiments.", "pinnlab.report."))
               and m not in ("pinnlab.experiments.runs", "pinnlab.report.style", "pinnlab.report.kleingordon_plots")]


@pytest.mark.parametrize("module", JOB_MODULES + ["pinnlab.claims.evaluate", "pinnlab.verify"])
def test_importing_a_job_module_loads_only_its_code_inputs(module):
    """Independent of the static reading: what Python really loads when a job module is imported."""
    code = (f"import sys, json, {module}; print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items()) "
            "if n.split('.')[0] == 'pinnlab')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = {str(Path(f).resolve()) for f in json.loads(out.stdout)}
    declared = {str(Path(f).resolve()) for f in code_inputs(module)}
    assert loaded <= declared, sorted(loaded - declared)


def test_job_modules_name_their_job_after_a_rule():
    """Every job module defines the function its rule calls (the rule's name)."""
    rules = set()
    for smk in Path("workflow/rules").glob("*.smk"):
        rules.update(line.split()[1].rstrip(":") for line in smk.read_text().splitlines()
                     if line.lstrip().startswith("rule "))
    jobs = {}
    for smk in Path("workflow/rules").glob("*.smk"):
        for line in smk.read_text().splitlines():
            if "_JOB = " in line:
                jobs[line.split("=")[0].strip()] = line.split("=")[1].strip().strip('"')
    assert jobs
    for module in jobs.values():
        source = import_graph.module_path(module).read_text()
        defined = {line.split("(")[0][4:] for line in source.splitlines() if line.startswith("def ")}
        assert defined & rules, f"{module} defines no function named after a rule"
