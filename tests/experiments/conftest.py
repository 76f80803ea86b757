"""Shared set-up of the job tests: the smoke config, a DAG layout in a temporary folder, references and Table-2 runs
made once per session by the rules' own job functions (``pinnlab.job.make_job``, no Snakemake).

The jobs are built as the rules build them (``workflow/rules/*.smk``): the same named inputs, outputs and params,
and wildcards as strings, as Snakemake gives them.
"""

from pathlib import Path

import pytest

from pinnlab.config import load_config, scale_config
from pinnlab.job import make_job
from pinnlab.layout import Layout, RunKey, continued_key, table2_run

SCALE = "smoke"


def wildcards_of(key: RunKey, **extra) -> dict:
    """A run's wildcards as the rule patterns name them (``{scale}``, ``{pde}``, ...), every value a string."""
    return {"scale": key.scale, "pde": key.pde, "method": key.method, "width": str(key.width),
            "seed": str(key.seed), **extra}


@pytest.fixture(scope="session")
def smoke_cfg():
    """The repository's config, validated (defaults filled), as every job receives it."""
    return load_config("config/config.yaml")


@pytest.fixture(scope="session")
def layout(tmp_path_factory):
    """The DAG's paths under a temporary folder."""
    root = tmp_path_factory.mktemp("dag")
    return Layout(results=str(root / "results"), figures=str(root / "figures"),
                  references=str(root / "reference"), logs=str(root / "logs"))


def reference_job(cfg: dict, layout: Layout, pde: str):
    """Rule ``reference``'s job for ``pde`` (its constants from ``pde_constants``, as the rule's params)."""
    return make_job(cfg, wildcards={"pde": pde}, rule="reference",
                    output={"npz": layout.reference(pde), "json": layout.reference(pde, "json")},
                    params={"constants": cfg.get("pde_constants", {}).get(pde, {})})


COARSE_SOLVES = {"heat2d_lt": {"modes": 63, "dt": 0.2, "error_estimate": False}}
"""Our Heat2d-LT solver takes most of a minute at its accurate defaults; the job that reads its reference here (the
PCPINN conditioning table: the finite-difference floor) needs a file on the evaluation grid, not that accuracy."""


@pytest.fixture(scope="session")
def reference_of(smoke_cfg, layout):
    """``reference_of(pde)``: the path of ``pde``'s reference, made on first use by rule ``reference``'s job (a
    coarse solve of ``COARSE_SOLVES``' PDEs, written by the same ``build_reference``)."""
    from pinnlab.experiments.reference import reference
    from pinnlab.pdes import pde_from_config
    from pinnlab.reference.build import build_reference

    def make(pde: str) -> str:
        path = layout.reference(pde)
        if not Path(path).exists():
            if pde in COARSE_SOLVES:
                build_reference(pde_from_config(smoke_cfg, pde), Path(path), **COARSE_SOLVES[pde])
            else:
                reference(reference_job(smoke_cfg, layout, pde))
        return path

    return make


def table2_job(cfg: dict, layout: Layout, key: RunKey, reference: str):
    """Rule ``train_table2``'s job for ``key`` (with its ``continues`` input for GDND)."""
    parent = continued_key(key)
    inputs = {"reference": reference, **({"continues": layout.run(parent)} if parent else {})}
    return make_job(cfg, wildcards=wildcards_of(key), input=inputs, output=layout.run_files(key),
                    params={"protocol": scale_config(cfg, key.scale)["protocols"][key.pde],
                            "loss_convention": cfg["loss_convention"]},
                    rule="train_table2")


@pytest.fixture(scope="session")
def table2_runs(smoke_cfg, layout, reference_of):
    """``table2_runs(pde, method, seed=0)``: the key of a finished smoke Table-2 run, trained by ``train_table2`` on
    first use (the run a GDND run continues first); the summaries the job returned are in ``table2_runs.returned``."""
    from pinnlab.experiments.table2 import train_table2

    returned: dict[RunKey, list] = {}

    def train(pde: str, method: str, seed: int = 0) -> RunKey:
        key = table2_run(smoke_cfg, SCALE, pde, method, seed)
        if key not in returned:
            parent = continued_key(key)
            if parent is not None:
                train(pde, parent.method, seed)
            returned[key] = train_table2(table2_job(smoke_cfg, layout, key, reference_of(pde)))
        return key

    train.returned = returned
    return train
