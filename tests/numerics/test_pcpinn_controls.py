"""PCPINN's controls (ILU(0), fit to u_h): their runs resolve to the right objective, train, and the DAG plans them
on the PDEs the config names (``table2.only``)."""

import copy

import pandas as pd
import pytest

from conftest import exact_reference
from pinnlab import catalog, layout
from pinnlab.config import load_config, validate_config
from pinnlab.errors import PinnlabError
from pinnlab.experiments.table2 import resolve
from pinnlab.pcpinn.fit import FitObjective
from pinnlab.pcpinn.loss import PCPINNObjective
from pinnlab.training.loop import train


@pytest.fixture(scope="module")
def cfg():
    return load_config("config/config.yaml")


def test_each_pcpinn_method_resolves_to_its_preconditioner(cfg):
    for method, kind in catalog.PCPINN_PRECONDITIONER.items():
        if method in catalog.CONTINUES:  # resolving it reads its parent's summary: the parent's kind is the same
            assert catalog.PCPINN_PRECONDITIONER[catalog.CONTINUES[method]] == kind
            continue
        run = resolve(cfg, "smoke", "convection", method, 0)
        assert isinstance(run.objective, PCPINNObjective) and run.objective.preconditioner.kind == kind
    assert isinstance(resolve(cfg, "smoke", "convection", "fit_uh", 0).objective, FitObjective)
    assert set(catalog.CONTROLS) >= {"pcpinn_ilu0", "pcpinn_ilu0_gdnd", "fit_uh"}
    assert catalog.CONTINUES["pcpinn_ilu0_gdnd"] == "pcpinn_ilu0_adam_lbfgs"
    assert not set(catalog.FD_GRID_METHODS) & set(catalog.SEEDS_TOGETHER_METHODS)


def test_smoke_fit_uh_run_lowers_its_loss_and_the_error(cfg, tmp_path):
    run = resolve(cfg, "smoke", "wave", "fit_uh", 0)
    out = train(run, exact_reference(run.pde), tmp_path, progress=False)
    m = pd.DataFrame(out.metrics)
    assert out.status == "ok" and m.loss_fit.iloc[-1] < m.loss_fit.iloc[0] and m.l2re.iloc[-1] < m.l2re.iloc[0]


def test_only_keeps_a_method_to_its_pdes(cfg):
    for scale in ("smoke", "quick", "paper"):
        table2 = cfg["scales"][scale]["table2"]
        runs = layout.table2_runs(cfg, scale)
        for method in table2["methods"]:
            pdes = {key.pde for key in runs if key.method == method}
            assert pdes == set(table2["only"].get(method, table2["pdes"])), (scale, method)


@pytest.mark.parametrize("only", [{"fit_uh": ["poisson1d"]}, {"gdnd_x": ["convection"]}])
def test_only_must_name_listed_methods_and_pdes(cfg, only):
    bad = copy.deepcopy(cfg)
    bad["scales"]["smoke"]["table2"]["only"] = only
    with pytest.raises(PinnlabError, match="only"):
        validate_config(bad)


def test_a_control_on_the_fd_grid_needs_the_pcpinn_grid(cfg):
    bad = copy.deepcopy(cfg)
    table2 = bad["scales"]["smoke"]["table2"]
    table2["methods"], table2["only"] = ["adam", "fit_uh"], {}
    del bad["scales"]["smoke"]["protocols"]["wave"]["pcpinn"]["grid"]
    with pytest.raises(PinnlabError, match="wave.pcpinn.grid: required when Table 2 runs fit_uh"):
        validate_config(bad)
