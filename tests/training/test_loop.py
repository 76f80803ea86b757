"""The training loop: learning, determinism, resume after interruption, divergence, checkpoints."""

import json

import numpy as np
import optax
import pandas as pd
import pytest

from conftest import exact_reference
from pinnlab.errors import PinnlabError
from pinnlab.layout import CHECKPOINT_FILE
from pinnlab.nets import make_network
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec
from pinnlab.training import artifacts, checkpoint
from pinnlab.training.loop import train
from pinnlab.training.run import OptaxPhase, Phase, Run


def tiny_run(iterations=60, lr=1e-2, log_every=10, checkpoint_every=20, resample=False, pde="reaction"):
    points = (PointSpec(kind="uniform", n_res=64, n_initial=16, n_boundary=16, resample=True) if resample
              else PointSpec(kind="grid", n_res=64, grid=(17, 9)))
    return Run(pde=make_pde(pde), phases=[Phase("adam", iterations, OptaxPhase(optax.adam(lr)))],
               network={"width": 12, "depth": 2}, points=points, seed=0, log_every=log_every,
               checkpoint_every=checkpoint_every, label="test",
               resolved={"scale": "test", "experiment": "unit", "pde": pde, "method": "adam", "seed": 0,
                         "lr": lr, "iterations": iterations, "resample": resample})


def numbers(metrics):
    return pd.DataFrame(metrics).drop(columns=["wall_time_s"])


def test_adam_lowers_the_loss_and_records_every_term(tmp_path):
    run = tiny_run(iterations=200, log_every=50, checkpoint_every=100)
    out = train(run, exact_reference(run.pde), tmp_path, progress=False)
    m = pd.DataFrame(out.metrics)
    assert out.status == "ok" and list(m.step) == [0, 50, 100, 150, 200]
    assert m.loss.iloc[-1] < 0.5 * m.loss.iloc[0] and m.loss.is_monotonic_decreasing
    assert {"loss_res", "loss_ic", "loss_bc", "weight_res", "l2re"} <= set(m.columns)
    assert np.allclose(m.loss, m.loss_res + m.loss_ic + m.loss_bc, rtol=1e-5)


def test_same_seed_same_numbers(tmp_path):
    run = tiny_run()
    a = train(run, exact_reference(run.pde), tmp_path / "a", progress=False)
    b = train(run, exact_reference(run.pde), tmp_path / "b", progress=False)
    pd.testing.assert_frame_equal(numbers(a.metrics), numbers(b.metrics))


@pytest.mark.parametrize("resample", [False, True])
def test_interrupted_run_resumes_to_the_same_metrics(tmp_path, resample):
    run = tiny_run(resample=resample, pde="klein_gordon" if resample else "reaction")
    ref = exact_reference(run.pde)
    whole = train(run, ref, tmp_path / "whole", progress=False)

    class Interrupt(Exception):
        pass

    def kill_at_30(step):
        if step == 30:
            raise Interrupt

    with pytest.raises(Interrupt):
        train(run, ref, tmp_path / "cut", progress=False, on_chunk_end=kill_at_30)
    assert json.loads(str(np.load(tmp_path / "cut" / CHECKPOINT_FILE)["meta"]))["step"] == 20
    resumed = train(run, ref, tmp_path / "cut", progress=False)
    assert resumed.resumed_from == 20
    pd.testing.assert_frame_equal(numbers(whole.metrics), numbers(resumed.metrics))
    for a, b in zip(checkpoint._flatten(whole.params).values(), checkpoint._flatten(resumed.params).values()):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_of_another_configuration_is_ignored(tmp_path):
    ref = exact_reference(make_pde("reaction"))
    train(tiny_run(iterations=20), ref, tmp_path, progress=False)
    out = train(tiny_run(iterations=40, lr=5e-3), ref, tmp_path, progress=False)
    assert out.resumed_from == 0 and out.metrics[-1]["step"] == 40


def test_divergence_is_recorded_not_raised(tmp_path):
    run = tiny_run(iterations=60, lr=1e9)
    out = train(run, exact_reference(run.pde), tmp_path, progress=False)
    assert out.status == "diverged" and out.diverged_at is not None
    assert np.isnan(out.metrics[-1]["loss"]) and len(out.metrics) >= 2
    assert all(np.all(np.isfinite(v)) for v in checkpoint._flatten(out.params).values())
    summary = artifacts.write_run(tmp_path / "run", run, out)
    assert summary["status"] == "diverged" and summary["diverged_at_step"] == out.diverged_at
    assert artifacts.read_summary(tmp_path / "run" / "summary.json")["status"] == "diverged"


def test_params_round_trip_and_mismatch_errors(tmp_path):
    _, params = make_network(2, 8, 2, seed=0)
    checkpoint.save_params(tmp_path / "p.npz", params)
    back = checkpoint.load_params(tmp_path / "p.npz", params)
    for a, b in zip(checkpoint._flatten(params).values(), checkpoint._flatten(back).values()):
        np.testing.assert_array_equal(a, b)
    _, wider = make_network(2, 9, 2, seed=0)
    with pytest.raises(PinnlabError, match="shape"):
        checkpoint.load_params(tmp_path / "p.npz", wider)
    _, deeper = make_network(2, 8, 3, seed=0)
    with pytest.raises(PinnlabError, match="missing"):
        checkpoint.load_params(tmp_path / "p.npz", deeper)
    (tmp_path / "bad.npz").write_bytes(b"not a zip file")
    with pytest.raises(PinnlabError, match="corrupt"):
        checkpoint.load_params(tmp_path / "bad.npz", params)
    with pytest.raises(PinnlabError, match="missing parameter file"):
        checkpoint.load_params(tmp_path / "none.npz", params)


def test_corrupt_checkpoint_starts_afresh(tmp_path):
    (tmp_path / CHECKPOINT_FILE).write_bytes(b"garbage")
    run = tiny_run(iterations=20)
    out = train(run, exact_reference(run.pde), tmp_path, progress=False)
    assert out.resumed_from == 0 and out.status == "ok"


def test_checkpoint_every_must_be_a_multiple_of_log_every(tmp_path):
    run = tiny_run(log_every=10, checkpoint_every=25)
    with pytest.raises(PinnlabError, match="multiple"):
        train(run, exact_reference(run.pde), tmp_path, progress=False)


def test_resume_at_a_phase_boundary_enters_the_next_phase(tmp_path):
    base = tiny_run()
    run = Run(pde=base.pde, phases=[Phase("first", 30, OptaxPhase(optax.adam(1e-2))),
                                    Phase("second", 30, OptaxPhase(optax.sgd(1e-3)))],
              network=base.network, points=base.points, seed=0, log_every=10, checkpoint_every=20,
              label="two-phase", resolved=base.resolved | {"phases": "adam30+sgd30"})
    ref = exact_reference(run.pde)
    whole = train(run, ref, tmp_path / "whole", progress=False)
    assert [r["phase"] for r in whole.metrics] == ["first"] * 4 + ["second"] * 3

    def kill_at_30(step):
        if step == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(run, ref, tmp_path / "cut", progress=False, on_chunk_end=kill_at_30)
    resumed = train(run, ref, tmp_path / "cut", progress=False)
    assert resumed.resumed_from == 30
    pd.testing.assert_frame_equal(numbers(whole.metrics), numbers(resumed.metrics))
