"""Bad input gets a clear message: config keys, unknown names, missing files; no raw tracebacks."""

import copy
import json
import subprocess
import sys

import numpy as np
import pytest
import yaml

from pinnlab.cli import main
from pinnlab.config import load_config, protocol, scale_config, validate_config
from pinnlab.errors import PinnlabError
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.training.methods import BUILDERS, build_phases

RAW = yaml.safe_load(open("config/config.yaml"))


def broken(mutate):
    cfg = copy.deepcopy(RAW)
    mutate(cfg)
    return cfg


@pytest.mark.parametrize("mutate, key", [
    (lambda c: c.update(scale="huge"), "config key scale"),
    (lambda c: c["scales"]["quick"]["protocols"]["wave"].update(iterations=-5),
     "scales.quick.protocols.wave.iterations"),
    (lambda c: c["scales"]["smoke"]["protocols"]["convection"]["network"].update(width="x"), "network.width"),
    (lambda c: c["scales"]["paper"].update(seeds=[]), "scales.paper.seeds"),
    (lambda c: c.update(typo_key=1), "(top level)"),
    (lambda c: c["scales"]["quick"]["table2"].update(methods=["sgd"]), "scales.quick.table2.methods.0"),
    (lambda c: c["pde_constants"].update(navier={"re": 1}), "config key pde_constants"),
])
def test_schema_errors_name_the_key(mutate, key):
    with pytest.raises(PinnlabError) as err:
        validate_config(broken(mutate))
    assert key in str(err.value)


def test_mistakes_that_would_fail_inside_a_job_are_refused_up_front(tmp_path, capsys):
    cfg = broken(lambda c: c["pde_constants"].update(wave={"beta": 5, "gamma": 3}))
    with pytest.raises(PinnlabError, match=r"pde_constants.wave.*'gamma'"):
        validate_config(cfg)
    # L-BFGS needs steps after Adam's, where the scale trains Adam+L-BFGS (Table 2 here)
    protocols = RAW["scales"]["quick"]["protocols"]
    cfg = broken(lambda c: c["scales"]["quick"]["protocols"].update(
        reaction=protocols["reaction"] | {"lbfgs": protocols["reaction"]["lbfgs"] | {"adam_steps": 2000}}))
    with pytest.raises(PinnlabError, match=r"scales.quick.protocols.reaction.lbfgs.adam_steps: 2000 leaves no L-BFGS"):
        validate_config(copy.deepcopy(cfg))
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump(cfg))  # check-config says so, before any job
    assert main(["--config", str(tmp_path / "cfg.yaml"), "check-config"]) == 2
    assert "adam_steps: 2000" in capsys.readouterr().err


def test_nested_command_line_values_take_the_schema_s_types():
    """Snakemake reads ``--config 'scales={smoke: {protocols: {wave: {iterations: 100}}}}'`` as strings."""
    cfg = broken(lambda c: c["scales"]["smoke"]["protocols"]["wave"].update(iterations="100"))
    cfg["scales"]["smoke"].update(seeds=["0", "1"], needs_gpu="True")
    cfg["pde_constants"]["wave"] = {"beta": "4.5"}
    cfg["scales"]["smoke"]["protocols"]["wave"]["adam"] = {"lr": "1e-3"}
    validate_config(cfg)
    smoke = cfg["scales"]["smoke"]
    assert smoke["protocols"]["wave"]["iterations"] == 100 and smoke["seeds"] == [0, 1] and smoke["needs_gpu"] is True
    assert cfg["pde_constants"]["wave"]["beta"] == 4.5 and smoke["protocols"]["wave"]["adam"]["lr"] == 1e-3
    with pytest.raises(PinnlabError, match=r"scales.smoke.seeds.1: 'x' is not of type 'integer'"):
        validate_config(broken(lambda c: c["scales"]["smoke"].update(seeds=["0", "x"])))


def test_cross_key_rules_name_the_key():
    cfg = broken(lambda c: c["scales"]["quick"]["protocols"]["convection"].update(checkpoint_every=150))
    with pytest.raises(PinnlabError, match=r"scales.quick.protocols.convection.checkpoint_every.*multiple"):
        validate_config(cfg)
    cfg = broken(lambda c: c["scales"]["quick"]["protocols"].pop("burgers"))
    with pytest.raises(PinnlabError, match=r"no protocol for \['burgers'\]"):
        validate_config(cfg)


def test_defaults_are_filled():
    cfg = broken(lambda c: c.pop("loss_convention"))
    assert validate_config(cfg)["loss_convention"] == "mean"
    assert cfg["scales"]["quick"]["protocols"]["wave"]["network"]["input_normalization"] == "none"


def test_unknown_names_list_the_valid_ones(monkeypatch):
    cfg = load_config("config/config.yaml")
    with pytest.raises(PinnlabError, match="valid scales: paper, quick, smoke"):
        scale_config(cfg, "tiny")
    with pytest.raises(PinnlabError, match="valid PDEs"):
        protocol(cfg, "quick", "maxwell")
    with pytest.raises(PinnlabError, match="valid methods: .*adam"):
        build_phases("sgd", {})
    monkeypatch.delitem(BUILDERS, "pcpinn")  # every Table 2 method has a builder today
    with pytest.raises(PinnlabError, match="not implemented yet"):
        build_phases("pcpinn", {})


def test_resolve_run_uses_the_protocol_and_constants():
    cfg = load_config("config/config.yaml")
    run = resolve_run(cfg, "paper", "wave", "adam", 3)
    assert run.pde.beta == 5 and run.iterations == 41000 and run.network["width"] == 200
    assert run.points.n_res == 10000 and run.seed == 3
    assert run.fingerprint() != resolve_run(cfg, "paper", "wave", "adam", 4).fingerprint()


def test_cli_reports_user_errors_without_traceback(tmp_path, capsys):
    assert main(["train", "--scale", "quick", "--pde", "maxwell", "--method", "adam"]) == 2
    err = capsys.readouterr().err
    assert "valid PDEs" in err and "Traceback" not in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("scale: [unclosed\n")
    assert main(["--config", str(bad), "check-config"]) == 2
    assert "not valid YAML" in capsys.readouterr().err
    # a missing reference names the rule that makes it
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump(RAW | {"reference_dir": str(tmp_path / "none")}))
    assert main(["--config", str(cfg), "train", "--scale", "smoke", "--pde", "burgers", "--method", "adam",
                 "--out", str(tmp_path / "run")]) == 2
    assert "rule reference" in capsys.readouterr().err


def test_cli_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "pinnlab", "check-config"], capture_output=True, text=True)
    assert out.returncode == 0 and "valid" in out.stdout


def test_empty_config_file_is_explained(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(PinnlabError, match="mapping"):
        load_config(empty)


def test_command_line_booleans_are_read_as_booleans():
    cfg = broken(lambda c: c.update(allow_cpu_paper="true"))
    assert validate_config(cfg)["allow_cpu_paper"] is True
    with pytest.raises(PinnlabError, match="allow_cpu_paper"):
        validate_config(broken(lambda c: c.update(allow_cpu_paper="maybe")))


def test_nncg_setting_switches_every_protocol_to_the_source_s_cg():
    """The paper scale's NNCG is the inexact-Newton setting; ``nncg_setting=faithful`` gives every protocol the
    source's CG (the schema's defaults), changing nothing else."""
    inexact = load_config("config/config.yaml")
    faithful = load_config("config/config.yaml", {"nncg_setting": "faithful"})
    for scale in ("quick", "paper"):
        for pde in scale_config(inexact, scale)["protocols"]:
            a, b = protocol(inexact, scale, pde)["nncg"], protocol(faithful, scale, pde)["nncg"]
            assert (b["forcing"], b["negative_curvature"], b["cg_maxiter"], b["cg_tol"]) == (
                "fixed", "continue", 1000, 1e-16)
            assert {k: v for k, v in a.items() if k not in ("forcing", "negative_curvature", "cg_maxiter", "cg_tol")} \
                == {k: v for k, v in b.items() if k not in ("forcing", "negative_curvature", "cg_maxiter", "cg_tol")}
    paper = protocol(inexact, "paper", "convection")["nncg"]
    assert (paper["forcing"], paper["negative_curvature"], paper["cg_maxiter"]) == ("eisenstat_walker", "stop", 100)


def test_table2_cli_honours_its_scale_and_explains_bad_paths(tmp_path, capsys):
    from pinnlab.reference.build import save_reference

    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump(RAW | {"reference_dir": str(tmp_path / "ref")}))
    run = tmp_path / "results/smoke/table2/wave/adam/w16/s0"
    run.mkdir(parents=True)
    (run / "summary.json").write_text(json.dumps({"status": "ok", "scale": "smoke", "pde": "wave", "method": "adam",
                                                  "seed": 0, "width": 16, "iterations": 40, "final": {"l2re": 0.5},
                                                  "sha256": {}}))
    (run / "metrics.csv").write_text("step,loss\n0,1.0\n")

    def table2(*args):
        code = main(["--config", str(cfg), "table2", *args])
        return code, capsys.readouterr().err

    code, err = table2("--scale", "smoke", "--out", str(tmp_path / "t.csv"), str(run / "summary.json"))
    assert code == 2 and "python -m pinnlab reference --pde wave" in err  # its baselines need the reference
    x, t = np.linspace(0, 1, 5), np.linspace(0, 1, 3)
    save_reference(tmp_path / "ref" / "wave.npz", (x, t), np.outer(np.sin(x), 1 + t), {"pde": "wave"})
    code, err = table2("--scale", "quick", "--out", str(tmp_path / "t.csv"), str(run / "summary.json"))
    assert code == 2 and "a run of the smoke scale, not of quick" in err
    code, err = table2("--scale", "smoke", "--out", str(tmp_path / "t.csv"), str(run / "metrics.csv"))
    assert code == 2 and "is not a run summary" in err and "re-make" not in err
    code, err = table2("--scale", "smoke", "--out", str(tmp_path / "t.csv"), str(tmp_path / "results/*/summary.json"))
    assert code == 2 and "no run summary matches" in err
    (tmp_path / "a_file").write_text("")  # an output folder that cannot be made: the system's reason, no traceback
    code, err = table2("--scale", "smoke", "--out", str(tmp_path / "a_file/t.csv"), str(run / "summary.json"))
    assert code == 2 and "pinnlab: error:" in err and "a_file" in err and "Traceback" not in err
    code, err = table2("--scale", "smoke", "--out", str(tmp_path / "t.csv"), str(run / "summary.json"))
    assert code == 0 and "(smoke scale)" in (tmp_path / "t.md").read_text()
