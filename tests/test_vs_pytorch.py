"""The side-by-side benchmark against Rathore et al.'s PyTorch code (benchmarks/vs_pytorch.py) at tiny sizes.

Without a reference it times pinnlab alone and says why; with PyTorch installed and a checkout of opt_for_pinns
named by ``PINNLAB_REFERENCE_SRC`` it also checks that both codes agree on the same points and weights and times both.
The suite never needs the network, PyTorch or the reference: that test is skipped without them.
"""

import importlib.util
import json
import os
import sys
from pathlib import Path

import jax
import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--config", str(ROOT / "config/config.yaml"), "--widths", "4", "--n-res", "16", "--grid", "9", "5",
        "--repeats", "1", "--chunk", "2", "--lbfgs-iterations", "2", "--cg-iterations", "2", "--rank", "3"]
COLUMNS = ["width", "parameters", "operation", "PyTorch ms", "pinnlab ms", "ratio torch/pinnlab"]


@pytest.fixture
def vs_pytorch(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # the script imports record and step_times beside it
    spec = importlib.util.spec_from_file_location("vs_pytorch", ROOT / "benchmarks" / "vs_pytorch.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "vs_pytorch", module)  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_without_a_reference_it_times_pinnlab_alone_and_says_why(vs_pytorch, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["benchmarks/vs_pytorch.py"])
    rows = vs_pytorch.main([*TINY, "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert "PyTorch side: not run: no --reference-src given" in printed
    assert [(r["width"], r["parameters"]) for r in rows] == [(4, 57)] * len(vs_pytorch.OPERATIONS)  # 2-4-4-4-1
    for r in rows:
        assert list(r) == COLUMNS
        assert r["pinnlab ms"] > 0 and r["PyTorch ms"] is None and r["ratio torch/pinnlab"] is None
    assert rows[0]["operation"] == "Adam step, pinnlab in its 2-step chunks"
    saved = json.loads((tmp_path / "vs_pytorch.json").read_text())
    assert saved["rows"][0]["PyTorch ms"] is None and "not run" in saved["context"]["PyTorch side"]
    assert "| width | parameters | operation | PyTorch ms | pinnlab ms | ratio torch/pinnlab |" in (
        tmp_path / "vs_pytorch.md").read_text()


def test_side_by_side_on_the_same_points_and_weights(vs_pytorch, capsys):
    pytest.importorskip("torch")
    reference = os.environ.get("PINNLAB_REFERENCE_SRC")
    if not reference:
        pytest.skip("set PINNLAB_REFERENCE_SRC to a checkout of github.com/pratikrathore8/opt_for_pinns")
    rows = vs_pytorch.main([*TINY, "--reference-src", reference])
    printed = capsys.readouterr().out
    assert "loss terms" in printed and "reference commit" in printed
    assert len(rows) == len(vs_pytorch.OPERATIONS)
    for r in rows:
        assert r["PyTorch ms"] > 0 and r["pinnlab ms"] > 0
        assert r["ratio torch/pinnlab"] == pytest.approx(r["PyTorch ms"] / r["pinnlab ms"])


def test_codes_that_disagree_stop_the_benchmark(vs_pytorch):
    torch = pytest.importorskip("torch")
    reference = os.environ.get("PINNLAB_REFERENCE_SRC")
    if not reference:
        pytest.skip("set PINNLAB_REFERENCE_SRC to a checkout of github.com/pratikrathore8/opt_for_pinns")
    args = vs_pytorch.parse_args([*TINY, "--reference-src", reference])
    ref = vs_pytorch.load_reference(reference)
    trainer, proto = vs_pytorch.pinnlab_trainer(vs_pytorch.load_config(args.config), 4, args)
    x, t = vs_pytorch.source_points(ref, args)
    ours = vs_pytorch.PinnlabSide(trainer, proto, args, vs_pytorch.pinnlab_batch(x, t))
    source = vs_pytorch.source_problem(ref, trainer, x, t)
    assert vs_pytorch.check_agreement(ours, source, jax.random.key(0))["loss terms"] <= vs_pytorch.AGREEMENT
    with torch.no_grad():
        next(iter(source.initial.values())).mul_(1.5)  # the first layer's weights no longer pinnlab's
    with pytest.raises(SystemExit, match="the loss terms differ"):
        vs_pytorch.check_agreement(ours, source, jax.random.key(0))
